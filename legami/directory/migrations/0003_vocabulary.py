"""Legami's own vocabularies: what an activity is (domain), what need it addresses and whom it
is for. Territory admins extend them from the taxonomy page; these are the shared base so that
searches, matching and impact figures compare like with like across territories."""

from django.db import migrations

# code, Italian, English, French, [(child code, Italian, English, French)]
DOMAINS = [
    ("cultura", "Cultura", "Culture", "Culture", [
        ("museo", "Musei e mostre", "Museums and exhibitions", "Musées et expositions"),
        ("lettura", "Lettura e biblioteche", "Reading and libraries", "Lecture et bibliothèques"),
        ("musica", "Musica e canto", "Music and singing", "Musique et chant"),
        ("teatro", "Teatro", "Theatre", "Théâtre"),
        ("arti", "Arti visive e artigianato", "Visual arts and crafts", "Arts visuels et artisanat"),
        ("patrimonio", "Patrimonio e memoria", "Heritage and memory", "Patrimoine et mémoire"),
    ]),
    ("ambiente", "Ambiente", "Environment", "Environnement", [
        ("giardinaggio", "Orti e giardinaggio", "Gardening", "Jardinage"),
        ("camminate-natura", "Camminate nella natura", "Nature walks", "Balades dans la nature"),
        ("cura-verde", "Cura del verde e dei beni comuni", "Care of green spaces",
         "Entretien des espaces verts"),
    ]),
    ("sport", "Sport e movimento", "Sport and movement", "Sport et mouvement", []),
    ("socialita", "Socialità e convivialità", "Social and conviviality",
     "Vie sociale et convivialité", []),
    ("volontariato", "Volontariato", "Volunteering", "Bénévolat", []),
    ("apprendimento", "Apprendimento", "Learning", "Apprentissage", []),
    ("promozione-salute", "Promozione della salute", "Health promotion",
     "Promotion de la santé", []),
]
NEEDS = [
    ("solitudine", "Solitudine e isolamento", "Loneliness and isolation", "Solitude et isolement"),
    ("umore-ansia", "Umore basso e ansia", "Low mood and anxiety", "Humeur basse et anxiété"),
    ("patologia-cronica", "Patologia cronica", "Long-term condition", "Maladie chronique"),
    ("inattivita", "Inattività fisica", "Physical inactivity", "Inactivité physique"),
    ("caregiver", "Carico di cura del caregiver", "Caregiver strain", "Épuisement de l'aidant"),
    ("nuovi-arrivati", "Nuovi arrivati", "New arrivals", "Nouveaux arrivants"),
    ("giovani", "Giovani", "Young people", "Jeunes"),
    ("anziani", "Persone anziane", "Older people", "Personnes âgées"),
    ("lutto", "Lutto", "Bereavement", "Deuil"),
    ("difficolta-economiche", "Difficoltà economiche", "Financial hardship",
     "Difficultés financières"),
]
TARGET_GROUPS = [
    ("bambini", "Bambini", "Children", "Enfants"),
    ("ragazzi", "Ragazzi e adolescenti", "Teenagers", "Adolescents"),
    ("adulti", "Adulti", "Adults", "Adultes"),
    ("anziani", "Anziani", "Older adults", "Seniors"),
    ("famiglie", "Famiglie", "Families", "Familles"),
    ("caregiver", "Caregiver familiari", "Family carers", "Aidants familiaux"),
    ("migranti", "Persone migranti", "Migrants", "Personnes migrantes"),
    ("disabilita", "Persone con disabilità", "People with disabilities",
     "Personnes en situation de handicap"),
]
TAXONOMIES = [
    ("domain", "Ambito dell'attività", "Activity domain", "Domaine d'activité"),
    ("need", "Bisogno affrontato", "Need addressed", "Besoin traité"),
    ("target_group", "Destinatari", "Target group", "Public visé"),
]


def create(apps, schema_editor):
    Taxonomy = apps.get_model("directory", "Taxonomy")
    Term = apps.get_model("directory", "TaxonomyTerm")
    taxonomies = {}
    for code, it, en, fr in TAXONOMIES:
        taxonomies[code], _ = Taxonomy.objects.get_or_create(
            code=code, defaults={"name": it, "name_en": en, "name_fr": fr, "version": "1"}
        )

    def term(taxonomy, code, it, en, fr, position, parent=None):
        obj, _ = Term.objects.get_or_create(
            taxonomy=taxonomy,
            code=code,
            defaults={"name": it, "name_en": en, "name_fr": fr, "position": position,
                      "parent": parent},
        )
        return obj

    for position, (code, it, en, fr, children) in enumerate(DOMAINS):
        parent = term(taxonomies["domain"], code, it, en, fr, position)
        for child_position, (c_code, c_it, c_en, c_fr) in enumerate(children):
            term(taxonomies["domain"], c_code, c_it, c_en, c_fr, child_position, parent)
    for position, row in enumerate(NEEDS):
        term(taxonomies["need"], *row, position)
    for position, row in enumerate(TARGET_GROUPS):
        term(taxonomies["target_group"], *row, position)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_fulltext_index")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
