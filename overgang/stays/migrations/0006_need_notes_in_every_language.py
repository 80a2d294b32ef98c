# A need kept the agreement's notes and reasons in English only; they are kept in nb, da and
# en now and shown in the reader's language. The English texts stored before are matched
# to the rule they came from (in any version of any agreement) to find the other two.

from django.db import migrations


def _texts_by_english():
    from overgang.rules import all_agreements
    from overgang.rules.engine import NO_DECISION, cited

    found = {
        "The agreement does not decide who is responsible in this case.": {
            "en": "The agreement does not decide who is responsible in this case.",
            **NO_DECISION,
        }
    }
    for agreement in all_agreements():
        for rule in agreement.rules:
            found.setdefault(
                cited(rule, "en"), {language: cited(rule, language) for language in ("nb", "da", "en")}
            )
    return found


def forwards(apps, schema_editor):
    need_model = apps.get_model("stays", "Need")
    texts = None
    for need in need_model.objects.exclude(decision={}).iterator():
        changed = False
        for key in ("notes", "reasons"):
            said = need.decision.get(key) or []
            if any(isinstance(text, str) for text in said):
                texts = texts if texts is not None else _texts_by_english()
                need.decision[key] = [
                    texts.get(text, {"en": text}) if isinstance(text, str) else text
                    for text in said
                ]
                changed = True
        if changed:
            need.save(update_fields=["decision"])


def backwards(apps, schema_editor):
    need_model = apps.get_model("stays", "Need")
    for need in need_model.objects.exclude(decision={}).iterator():
        for key in ("notes", "reasons"):
            said = need.decision.get(key) or []
            need.decision[key] = [
                text.get("en", "") if isinstance(text, dict) else text for text in said
            ]
        need.save(update_fields=["decision"])


class Migration(migrations.Migration):
    dependencies = [("stays", "0005_stay_home")]

    operations = [migrations.RunPython(forwards, backwards)]
