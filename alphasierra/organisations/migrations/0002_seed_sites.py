from django.db import migrations

from alphasierra.organisations.sites import sites_seed


def seed(apps, schema_editor):
    sites_seed(apps.get_model("organisations", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
