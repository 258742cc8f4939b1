"""The deployment recipe (deploy/): its files agree with the portal and with
each other. Running them is the production smoke test's part
(test_production.py: gunicorn from its unit, behind the nginx site)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from alphasierra.content.images import MAX_BYTES
from alphasierra.tests.production import BASE_DIR, SERVER_RELEASE, SERVER_VENV_BIN, unit_command

SYSTEMD = BASE_DIR / "deploy" / "systemd"
NGINX_SITE = (BASE_DIR / "deploy" / "nginx" / "alphasierra.conf").read_text()
# Each template unit, with the instances the recipe starts.
INSTANCES = {
    "alphasierra-worker@.service": ["1", "2"],
    "alphasierra-periodic@.service": ["frequent", "daily"],
}


def units() -> list[Path]:
    return sorted(SYSTEMD.glob("*.service")) + sorted(SYSTEMD.glob("*.timer"))


def directive(unit: Path, name: str) -> list[str]:
    return [line.split("=", 1)[1] for line in unit.read_text().splitlines() if line.startswith(f"{name}=")]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not on this machine")
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path: Path):
    # The units as installed on this machine: the release is this checkout,
    # the virtual environment the test's, the environment file an empty one.
    env_file = tmp_path / "alphasierra.env"
    env_file.touch()
    venv_bin = f"{Path(sys.executable).parent}/"
    for unit in units():
        text = (
            unit.read_text()
            .replace(SERVER_VENV_BIN, venv_bin)
            .replace("/etc/alphasierra/alphasierra.env", str(env_file))
        )
        (tmp_path / unit.name).write_text(text.replace(SERVER_RELEASE, str(BASE_DIR)))
    names = [unit.name for unit in units() if "@" not in unit.name]
    for template, instances in INSTANCES.items():
        for instance in instances:
            name = template.replace("@.", f"@{instance}.")
            (tmp_path / name).symlink_to(tmp_path / template)
            names.append(name)

    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["systemd-analyze", "verify", "--man=no", *names],  # noqa: S607
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_each_unit_runs_a_command_of_the_portal():
    commands = get_commands()
    for unit in SYSTEMD.glob("*.service"):
        for instance in INSTANCES.get(unit.name, [""]):
            command = unit_command(unit.name, instance)
            if "manage.py" in command:
                name = command[command.index("manage.py") + 1]
                assert name in commands, f"{unit.name}: manage.py has no command {name!r}"
                if name == "periodic":
                    assert command[-1] in settings.PERIODIC_JOBS, f"{unit.name}: no periodic jobs named {command[-1]!r}"
            else:
                assert command[1:3] == ["-m", "gunicorn"]
                assert command[-1] == "alphasierra.wsgi"


def test_each_timer_starts_a_shipped_unit_with_a_shipped_instance():
    for timer in SYSTEMD.glob("*.timer"):
        (unit,) = directive(timer, "Unit")
        template = re.sub(r"@[^.]+\.", "@.", unit)
        assert (SYSTEMD / template).exists(), f"{timer.name} starts {unit}, which is not shipped"
        if template != unit:
            assert unit.split("@")[1].split(".")[0] in INSTANCES[template]


def test_every_service_reads_the_environment_file_and_runs_unprivileged():
    for unit in SYSTEMD.glob("*.service"):
        assert directive(unit, "EnvironmentFile") == ["/etc/alphasierra/alphasierra.env"], unit.name
        assert directive(unit, "User") == ["alphasierra"], unit.name
        assert directive(unit, "NoNewPrivileges") == ["yes"], unit.name
        assert directive(unit, "WorkingDirectory") == [SERVER_RELEASE], unit.name


def test_nginx_takes_the_largest_upload_the_portal_accepts():
    (size,) = re.findall(r"client_max_body_size (\d+)m;", NGINX_SITE)

    assert int(size) * 1024 * 1024 > MAX_BYTES


def test_nginx_waits_longer_than_gunicorn_before_giving_up_on_a_request():
    proxy = (BASE_DIR / "deploy" / "nginx" / "proxy.conf").read_text()
    (read_timeout,) = re.findall(r"proxy_read_timeout (\d+)s;", proxy)
    gunicorn: dict[str, object] = {}
    exec((BASE_DIR / "deploy" / "gunicorn.conf.py").read_text(), gunicorn)  # noqa: S102 - our own settings file

    assert int(read_timeout) > int(str(gunicorn["timeout"]))


def test_the_environment_file_with_its_blanks_filled_passes_check_deploy(tmp_path: Path):
    """Read by a shell as the README's installation does (systemd reads the
    same lines), the example environment file gives a portal that starts and
    that ``check --deploy`` finds clean."""
    secrets = {"SECRET_KEY": "k" * 50 + "-example-only-9Zq", "EMAIL_HOST": "smtp.example.org", "VAR_DIR": str(tmp_path)}
    filled = " ".join(f"{name}='{value}'" for name, value in secrets.items())
    script = (
        f"set -ae; . {BASE_DIR / 'deploy' / 'alphasierra.env'}; {filled}; "
        f"exec {sys.executable} manage.py check --deploy --fail-level WARNING"
    )

    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["/bin/sh", "-c", script],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
