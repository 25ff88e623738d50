"""Facts from the five programmes (docs/programmes.md), as data for the demo.

Organisations, places, dates, amounts and partners are the documents' own. People are made
up and marked as demo; tax codes are left empty rather than invented for real bodies.
"""

from datetime import date
from decimal import Decimal

PA = "public_administration"
HEALTH = "health_authority"
SOCIAL = "social_services"
TS = "third_sector"
COOP = "social_cooperative"
CULTURE = "cultural_place"
SCHOOL = "school"
UNI = "university"
BUSINESS = "business"
INFORMAL = "informal_group"
FOUNDATION = "foundation"

# name, sector, comune ISTAT code, description
ORGANISATIONS = [
    # Wel(l)FARE legami, provincia di Cremona (Fondazione Cariplo, Bando Welfare in Azione 2014)
    ("Comune di Cremona", PA, "019036", "Capofila di Wel(l)FARE legami."),
    ("Comune di Crema", PA, "019035", ""),
    ("Provincia di Cremona", PA, "019036", ""),
    ("Camera di Commercio di Cremona", PA, "019036", ""),
    ("Azienda sociale del Cremonese", SOCIAL, "019036", ""),
    ("Comunità sociale Cremasca", SOCIAL, "019035", ""),
    ("Consorzio Casalasco dei Servizi Sociali", SOCIAL, "019021", ""),
    ("Fondazione Comunitaria Provincia di Cremona", FOUNDATION, "019036", ""),
    ("CSV Cremona", TS, "019036", "Centro di servizio per il volontariato."),
    ("Confcooperative Cremona", TS, "019036", ""),
    ("Legacoop Cremona", TS, "019036", ""),
    ("Consorzio Sol.co Cremona", COOP, "019036", ""),
    ("Consorzio Arcobaleno", COOP, "019036", ""),
    ("Fondazione Cariplo", FOUNDATION, "015146", "Bando Welfare in Azione 2014."),
    # Community Hub Culture Ibride, Siena
    ("Fondazione Monte dei Paschi di Siena", FOUNDATION, "052032", "Promotrice del Community Hub."),
    (
        "Community Hub Culture Ibride",
        INFORMAL,
        "052032",
        "Laboratorio permanente di innovazione sociale: luogo fisico e network aperto del "
        "terzo settore per il welfare culturale.",
    ),
    ("Università di Siena", UNI, "052032", ""),
    ("Università per Stranieri di Siena", UNI, "052032", "Unistrasi."),
    (
        "Università di Firenze - Disegno e gestione degli interventi sociali",
        UNI,
        "048017",
        "Laboratorio universitario sulle priorità sociali indicate dagli assistenti sociali.",
    ),
    ("Regione Toscana", PA, "048017", ""),
    ("ANCI Toscana", PA, "048017", ""),
    # Interreg Marittimo Italia-Francia "Comunità resilienti": training path
    ("Comune di Volterra", PA, "050039", "Sede del primo incontro di formazione."),
    ("Comune di Arcidosso", PA, "053001", "Sede del secondo incontro di formazione."),
    ("Comune di Massa Marittima", PA, "053015", "Sede del terzo incontro di formazione."),
    # Opificio di Comunità, Santarcangelo di Romagna
    ("Comune di Santarcangelo di Romagna", PA, "099018", "Promotore dell'Opificio di Comunità."),
    # Laboratori comunitari del welfare reale, distretto di Casalecchio di Reno
    ("Unione dei Comuni Valli del Reno, Lavino e Samoggia", PA, "037011", ""),
    (
        "Ufficio di Piano del Distretto di Casalecchio di Reno",
        SOCIAL,
        "037011",
        "Dal 2011 ridefinisce la programmazione territoriale con eventi partecipativi.",
    ),
    ("Comune di Casalecchio di Reno", PA, "037011", ""),
    ("AUSL di Bologna", HEALTH, "037006", ""),
    ("ASC InSieme", SOCIAL, "037011", "Azienda speciale consortile per i servizi sociali."),
    (
        "Casa della Salute di Casalecchio di Reno",
        HEALTH,
        "037011",
        "Inaugurata con un percorso partecipato.",
    ),
    (
        "Centro socio-culturale Ex Nuova Moduli",
        CULTURE,
        "037042",
        "Ex scuola a Calderino divenuta centro socio-culturale grazie alla comunità.",
    ),
    (
        "Orto-giardino condiviso di Monte San Pietro",
        INFORMAL,
        "037042",
        "Verde pubblico gestito con i cittadini: aula didattica all'aperto, stili di vita sostenibili.",
    ),
]

CREMONA_PARTNERS = [name for name, *_ in ORGANISATIONS[1:13]]

DISTRICTS = [
    (
        "Distretto di Casalecchio di Reno",
        "social",
        ["037011", "037042", "037057", "037061", "037060"],
        "Cinque comuni dell'Unione Valli del Reno, Lavino e Samoggia.",
    ),
    (
        "Percorso Comunità resilienti - aree interne toscane",
        "other",
        ["050039", "053001", "053015"],
        "Comuni sede della formazione sul welfare culturale (settembre-ottobre 2025).",
    ),
]

# name, lead, start, end, description, comuni (ISTAT codes, or "province:<ISTAT province code>")
PROGRAMMES = [
    (
        "Wel(l)FARE legami",
        "Comune di Cremona",
        date(2015, 1, 1),
        None,
        "Trasformare il welfare del territorio con patti gener-attivi, laboratori e incroci di "
        "comunità, Well-Fare Lab, fundraising. 115 comuni, circa 362.000 abitanti.",
        "province:019",
    ),
    (
        "Community Hub Culture Ibride - Programma 2022",
        "Fondazione Monte dei Paschi di Siena",
        date(2022, 1, 1),
        date(2022, 12, 31),
        "15 momenti formativi (talk e incursioni) e 8 sperimentazioni di welfare culturale; "
        "circa 250 partecipanti.",
        "province:052",
    ),
    (
        "Comunità resilienti",
        None,
        date(2025, 9, 25),
        date(2025, 12, 31),
        "Interreg Marittimo Italia Francia. Formazione 'Welfare culturale e prescrizione sociale "
        "nelle aree interne' e cantiere di prescrizione sociale.",
        ["050039", "053001", "053015"],
    ),
    (
        "Opificio di Comunità",
        "Comune di Santarcangelo di Romagna",
        date(2025, 1, 1),
        None,
        "Luoghi e azioni collaborative per una comunità che si prende cura di tutte e tutti.",
        ["099018"],
    ),
    (
        "Laboratori comunitari del welfare reale",
        "Ufficio di Piano del Distretto di Casalecchio di Reno",
        date(2011, 1, 1),
        None,
        "Welfare generativo e innovazione sociale: 13 interventi di progettazione partecipata.",
        ["037011", "037042", "037057", "037061", "037060"],
    ),
]

PARTNERS = {
    "Wel(l)FARE legami": CREMONA_PARTNERS,
    "Community Hub Culture Ibride - Programma 2022": [
        "Community Hub Culture Ibride",
        "Università di Siena",
        "Università per Stranieri di Siena",
        "Università di Firenze - Disegno e gestione degli interventi sociali",
        "Regione Toscana",
        "ANCI Toscana",
    ],
    "Comunità resilienti": [
        "Comune di Volterra",
        "Comune di Arcidosso",
        "Comune di Massa Marittima",
    ],
    "Laboratori comunitari del welfare reale": [
        "Unione dei Comuni Valli del Reno, Lavino e Samoggia",
        "AUSL di Bologna",
        "ASC InSieme",
    ],
}

FUNDINGS = [
    (
        "Wel(l)FARE legami",
        "Fondazione Cariplo",
        Decimal("1500000.00"),
        "Bando Welfare in Azione 2014 (circa 1.500.000 euro)",
    ),
]

# source, kind, target, start, description
RELATIONSHIPS = [
    (
        "Fondazione Cariplo",
        "funding",
        "Comune di Cremona",
        date(2015, 1, 1),
        "Welfare in Azione 2014",
    ),
    *[
        (
            name,
            "partnership",
            "Comune di Cremona",
            date(2015, 1, 1),
            "Partenariato Wel(l)FARE legami",
        )
        for name in CREMONA_PARTNERS
        if name != "Comune di Cremona"
    ],
    (
        "Fondazione Monte dei Paschi di Siena",
        "funding",
        "Community Hub Culture Ibride",
        date(2022, 1, 1),
        "",
    ),
    (
        "Università di Siena",
        "partnership",
        "Community Hub Culture Ibride",
        date(2022, 1, 1),
        "Welfare culturale e studenti",
    ),
    (
        "Università per Stranieri di Siena",
        "partnership",
        "Community Hub Culture Ibride",
        date(2022, 1, 1),
        "",
    ),
    (
        "Comune di Casalecchio di Reno",
        "network_membership",
        "Unione dei Comuni Valli del Reno, Lavino e Samoggia",
        date(2011, 1, 1),
        "",
    ),
    (
        "ASC InSieme",
        "agreement",
        "Ufficio di Piano del Distretto di Casalecchio di Reno",
        date(2011, 1, 1),
        "",
    ),
    (
        "AUSL di Bologna",
        "agreement",
        "Ufficio di Piano del Distretto di Casalecchio di Reno",
        date(2011, 1, 1),
        "",
    ),
]

CASALECCHIO_BODY_MEMBERS = [
    "Unione dei Comuni Valli del Reno, Lavino e Samoggia",
    "Comune di Casalecchio di Reno",
    "Ufficio di Piano del Distretto di Casalecchio di Reno",
    "AUSL di Bologna",
    "ASC InSieme",
]

# programme, body name, kind, description, members, meetings: each a dict of date, comune
# (ISTAT code), agenda, and optionally minutes, present (member organisations) and decisions
# [(text, owner, due date)].
BODIES = [
    (
        "Laboratori comunitari del welfare reale",
        "Cabina di regia ristretta",
        "steering_core",
        "16 componenti: Unione dei Comuni, Comune, Ufficio di Piano, Ausl, Asc, Asp, terzo settore.",
        CASALECCHIO_BODY_MEMBERS,
        [
            # The seed's sheet is dated 18 December 2015 ("Aggiungi un posto al tavolo"); the
            # meeting on that day and its decision's due date are an example built on it.
            {
                "date": date(2015, 12, 18),
                "comune": "037011",
                "agenda": "Aggiungi un posto al tavolo: bilancio dei Laboratori comunitari del "
                "welfare reale e ricaduta sulla programmazione distrettuale (PdZ).",
                "minutes": "(Verbale di esempio.) L'Ufficio di Piano presenta i 13 interventi di "
                "progettazione partecipata nati dal 2011 nei Laboratori della solidarietà "
                "sociale (ricerca-azione finanziata dal bando L. 3/2010, con Community Lab): "
                "l'orto-giardino condiviso di Monte San Pietro, il centro socio-culturale Ex "
                "Nuova Moduli a Calderino, i condomini solidali di Zola Predosa e Sasso "
                "Marconi, il percorso partecipato per l'inaugurazione della Casa della Salute "
                "di Casalecchio di Reno. Persone coinvolte nell'attuazione: 69. La cabina "
                "conviene che la ricaduta del processo riguarda l'intero sistema dei tavoli.",
                "present": CASALECCHIO_BODY_MEMBERS,
                "decisions": [
                    (
                        "Portare gli esiti dei laboratori in tutti i tavoli di programmazione "
                        "del Piano di Zona (esempio).",
                        "Ufficio di Piano del Distretto di Casalecchio di Reno",
                        date(2016, 3, 31),
                    ),
                ],
            }
        ],
    ),
    (
        "Laboratori comunitari del welfare reale",
        "Cabina di regia allargata",
        "steering_extended",
        "24 componenti: Unione dei Comuni, Comune, Ufficio di Piano, Ausl, Asc, Asp, terzo settore.",
        CASALECCHIO_BODY_MEMBERS,
        [],
    ),
    (
        "Opificio di Comunità",
        "Cabina di regia dell'Opificio",
        "steering_core",
        "Per definire progettualità e interventi in maniera coordinata.",
        ["Comune di Santarcangelo di Romagna"],
        [
            {
                "date": date(2025, 9, 11),
                "comune": "099018",
                "agenda": "Incontro di condivisione del percorso verso l'Opificio di Comunità; "
                "regolamento per i beni comuni; avvio del percorso partecipativo.",
                "minutes": "Condiviso il percorso verso l'Opificio di Comunità, dalle Linee di "
                'Mandato 2024-2029 (obiettivo 4 "La casa di tutti: welfare culturale e di '
                "comunità, salute e sicurezza\") al percorso interno all'Ente per la "
                "definizione degli strumenti (gennaio-agosto 2025). Presentati il Regolamento "
                "comunale per la cura, la rigenerazione e la gestione condivisa dei beni "
                "comuni e i patti di collaborazione. Avviato il percorso partecipativo: "
                '"Come possiamo produrre benessere insieme?"',
                "present": ["Comune di Santarcangelo di Romagna"],
                "decisions": [
                    (
                        'Aprire la fase "Verso l\'Opificio di Comunità": raccogliere i '
                        'contributi dei cittadini e degli attori del territorio ("Dai il tuo '
                        'contributo").',
                        "Comune di Santarcangelo di Romagna",
                        date(2025, 9, 30),  # "fine settembre 2025"
                    ),
                ],
            }
        ],
    ),
    (
        "Comunità resilienti",
        "Incontri di formazione sul welfare culturale",
        "working_table",
        "4 incontri, settembre e ottobre 2025; percorso interamente gratuito.",
        ["Comune di Volterra", "Comune di Arcidosso", "Comune di Massa Marittima"],
        [
            {
                "date": date(2025, 9, 25),
                "comune": "050039",
                "agenda": "10:00-13:00 Cultura, comunità, welfare; welfare culturale: "
                "fondamenti, pratiche, prospettive.",
            },
            {
                "date": date(2025, 10, 1),
                "comune": "053001",
                "agenda": "10:30-13:00 Welfare culturale: strumenti, processi e metodi per il "
                "lavoro nel territorio.",
            },
            {
                "date": date(2025, 10, 14),
                "comune": "053015",
                "agenda": "10:00-13:00 La prescrizione sociale; 14:00-16:00 Primi passi sulla "
                "valutazione dei benefici.",
            },
        ],
    ),
]

DEMO_PASSWORD = "legami-demo-2026"  # noqa: S105 - published on purpose: demo accounts only
# Published on purpose too: the demo's staff accounts share this TOTP secret, and
# `manage.py demo_totp` prints the current code. Never used outside demo accounts.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPLEGAMIDEMOTOTP23"  # noqa: S105

# email, role, first, last, organisation, role title
DEMO_USERS = [
    ("cittadino@demo.legami.example", "citizen", "Giulia", "Rossi (demo)", None, ""),
    (
        "prescrittore@demo.legami.example",
        "prescriber",
        "Marco",
        "Bianchi (demo)",
        "Casa della Salute di Casalecchio di Reno",
        "Medico di medicina generale",
    ),
    (
        "connettore@demo.legami.example",
        "link_worker",
        "Sara",
        "Conti (demo)",
        "ASC InSieme",
        "Facilitatrice di comunità",
    ),
    (
        "fornitore@demo.legami.example",
        "provider",
        "Luca",
        "Ferri (demo)",
        "Centro socio-culturale Ex Nuova Moduli",
        "Coordinatore attività",
    ),
    (
        "territorio@demo.legami.example",
        "territory_admin",
        "Anna",
        "Galli (demo)",
        "Ufficio di Piano del Distretto di Casalecchio di Reno",
        "Referente Ufficio di Piano",
    ),
    (
        "valutatore@demo.legami.example",
        "evaluator",
        "Paolo",
        "Neri (demo)",
        "Università di Siena",
        "Ricercatore",
    ),
    ("dpo@demo.legami.example", "dpo", "Elena", "Moretti (demo)", None, ""),
    ("admin@demo.legami.example", "superuser", "Admin", "(demo)", None, ""),
]
