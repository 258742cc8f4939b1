"""The pure Argon2id rate: how many passwords this machine can check per
second, with the portal's hasher and parameters, in as many processes as the
server has workers.

    python -m bench.hashing --processes 2 --seconds 5

A login checks one password and a sign-up hashes one: neither can go faster
than this. ``bench.run`` measures it in the same run as the logins and the
sign-ups and reports them as a share of it.
"""

import argparse
import json
import multiprocessing
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alphasierra.settings")
django.setup()

from django.contrib.auth.hashers import check_password, get_hasher, make_password  # noqa: E402 - needs django.setup()

PASSWORD = "le ciel de Toulouse est bleu"  # noqa: S105 - checked against its own hash


def _verify_for(seconds: float, encoded: str, results: "multiprocessing.Queue[int]") -> None:
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if not check_password(PASSWORD, encoded):
            raise SystemExit("the password does not match its own hash")
        done += 1
    results.put(done)


def rate(processes: int, seconds: float) -> dict[str, object]:
    """Verifications per second of ``processes`` processes checking passwords
    for ``seconds`` side by side (the settings' first hasher, as logins use)."""
    encoded = make_password(PASSWORD)
    results: multiprocessing.Queue[int] = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_verify_for, args=(seconds, encoded, results)) for _ in range(processes)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    counts = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    return {
        "hasher": get_hasher().algorithm,
        # argon2$argon2id$v=19$m=19456,t=2,p=1$salt$hash: the variant and its costs.
        "parameters": " ".join(encoded.split("$")[1:4:2]),
        "processes": processes,
        "verifications": sum(counts),
        "rate": sum(counts) / elapsed,
        "ms_each": 1000 * seconds * processes / sum(counts),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Argon2id verifications per second.")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args(argv)
    json.dump(rate(args.processes, args.seconds), sys.stdout)


if __name__ == "__main__":
    main()
