from django.db import migrations, models


def names_backfill(apps, schema_editor):
    """Transfers made before the name was kept take the agent's name of today."""
    Transfer = apps.get_model("transfers", "Transfer")
    for transfer in Transfer.objects.filter(agent_name="").select_related("agent").iterator():
        transfer.agent_name = f"{transfer.agent.last_name} {transfer.agent.first_name}"
        transfer.save(update_fields=["agent_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="transfer",
            name="agent_name",
            field=models.CharField(blank=True, max_length=300, verbose_name="nom de l'agent à la demande"),
        ),
        migrations.RunPython(names_backfill, migrations.RunPython.noop),
    ]
