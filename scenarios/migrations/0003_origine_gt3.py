# The origin « gt3 » is now stored when GT3 lines are added (scenarios/actions.py, do_ajouter_actions):
# the scenarios created by hand and filled from GT3 lines before it was were left « manuel ».

from django.db import migrations, models


def origine_des_scenarios_remplis_depuis_gt3(apps, schema_editor):
    Scenario = apps.get_model("scenarios", "Scenario")
    Scenario.objects.filter(origine="manuel", actions__ligne_gt3__isnull=False).update(origine="gt3")


class Migration(migrations.Migration):

    dependencies = [
        ('scenarios', '0002_scenario_annee_paie'),
    ]

    operations = [
        migrations.AlterField(
            model_name='scenario',
            name='origine',
            field=models.CharField(choices=[('manuel', 'Construit à la main'), ('gt3', 'Construit à partir des lignes GT3'), ('optimiseur', "Proposé par l'optimiseur")], default='manuel', max_length=10, verbose_name='origine'),
        ),
        migrations.RunPython(origine_des_scenarios_remplis_depuis_gt3, migrations.RunPython.noop),
    ]
