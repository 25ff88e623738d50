"""ONS4 compared one question at a time on the impact dashboard: short names for its four
subscales (in the scoring rule, with the library's other data) and an index on the paired
follow-ups of instruments without a total."""

from django.db import migrations, models

LABELS = {
    "life_satisfaction": ["Soddisfazione per la vita", "Life satisfaction",
                          "Satisfaction à l'égard de la vie"],
    "worthwhile": ["Valore di ciò che si fa", "Worthwhile", "Sentiment que la vie vaut la peine"],
    "happiness": ["Felicità", "Happiness", "Bonheur"],
    "anxiety": ["Ansia", "Anxiety", "Anxiété"],
}


def load(apps, schema_editor):
    Instrument = apps.get_model("outcomes", "Instrument")
    for instrument in Instrument.objects.filter(code="ons4"):
        for name, spec in instrument.scoring.get("subscales", {}).items():
            if name in LABELS:
                spec["label"] = LABELS[name]
        instrument.save(update_fields=["scoring"])


def unlabel_subscales(apps, schema_editor):
    Instrument = apps.get_model("outcomes", "Instrument")
    for instrument in Instrument.objects.filter(code="ons4"):
        for spec in instrument.scoring.get("subscales", {}).values():
            spec.pop("label", None)
        instrument.save(update_fields=["scoring"])


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0008_builder_surveys_indicators")]

    operations = [
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                condition=models.Q(("baseline__isnull", False), ("change__isnull", True)),
                fields=["instrument", "timepoint", "administered_on"],
                name="response_paired_time",
            ),
        ),
        migrations.RunPython(load, unlabel_subscales),
    ]
