"""The demo community offer, on the seeds' own places and partners. The activities are
plausible examples of what these organisations run (the seeds name the formats: biblioteca
vivente, teatro sociale, laboratori narrativi, orto-giardino condiviso, laboratori di comunità);
days, times and contacts are made up and every description says so."""

from datetime import date

DEMO_NOTE = " (Attività dimostrativa: orari e contatti sono inventati.)"

# organisation, place name, address, comune ISTAT code, (lat, lon), wheelchair, hearing, sight
PLACES = [
    ("Centro socio-culturale Ex Nuova Moduli", "Ex Nuova Moduli", "Via Lavino, Calderino",
     "037042", (44.4431, 11.2161), True, True, False),
    ("Orto-giardino condiviso di Monte San Pietro", "Orto-giardino condiviso", "Monte San Pietro",
     "037042", (44.4581, 11.1998), True, False, False),
    ("Casa della Salute di Casalecchio di Reno", "Casa della Salute", "Casalecchio di Reno",
     "037011", (44.4768, 11.2773), True, True, True),
    ("Community Hub Culture Ibride", "Community Hub Culture Ibride", "Siena",
     "052032", (43.3186, 11.3306), True, False, False),
    ("Comune di Arcidosso", "Castello Aldobrandesco", "Arcidosso", "053001",
     (42.8721, 11.5388), False, False, False),
    ("Comune di Volterra", "Biblioteca comunale", "Volterra", "050039",
     (43.4020, 10.8612), True, False, True),
    ("Comune di Massa Marittima", "Centro civico", "Massa Marittima", "053015",
     (43.0502, 10.8890), True, True, False),
    ("CSV Cremona", "Laboratorio di Comunità di Cremona", "Cremona", "019036",
     (45.1335, 10.0245), True, False, False),
    ("Comunità sociale Cremasca", "Laboratorio di Comunità di Crema", "Crema", "019035",
     (45.3630, 9.6850), True, False, False),
]

# place, name, description, [terms], min age, max age, languages, capacity, cost (label, €),
# schedule (freq, byday, opens, closes, valid_from, valid_to), status, last verified
ACTIVITIES = [
    ("Ex Nuova Moduli", "Biblioteca vivente",
     "Persone che si raccontano come libri da prendere in prestito per una conversazione: "
     "un modo per incontrarsi e superare pregiudizi.",
     ["lettura", "socialita", "solitudine", "adulti", "anziani"], 16, None, "it", 20, None,
     ("MONTHLY", "1SA", "10:00", "12:30", date(2025, 9, 6), None), "published", None),
    ("Ex Nuova Moduli", "Laboratorio di scrittura creativa",
     "Laboratorio narrativo settimanale: scrivere la propria storia e quella del paese.",
     ["arti", "lettura", "umore-ansia", "solitudine", "adulti"], 18, None, "it", 12,
     ("Quota trimestrale", "30.00"),
     ("WEEKLY", "TU", "17:30", "19:00", date(2025, 10, 7), date(2026, 6, 30)), "published",
     None),
    ("Ex Nuova Moduli", "Teatro sociale",
     "Teatro dell'Oppresso e teatro sociale con la comunità di Calderino: si recita quello che "
     "si vive.",
     ["teatro", "umore-ansia", "giovani", "ragazzi", "adulti"], 14, None, "it,en", 18, None,
     ("WEEKLY", "TH", "20:30", "22:30", date(2025, 10, 2), None), "published", None),
    ("Orto-giardino condiviso", "Pomeriggi nell'orto condiviso",
     "Coltivare insieme il verde pubblico con i cittadini: aula didattica all'aperto e stili di "
     "vita sostenibili.",
     ["giardinaggio", "cura-verde", "inattivita", "solitudine", "famiglie", "anziani"], None,
     None, "it", None, None,
     ("WEEKLY", "WE,SA", "15:00", "18:00", date(2026, 3, 1), date(2026, 10, 31)), "published",
     None),
    ("Casa della Salute", "Gruppo di cammino della Casa della Salute",
     "Camminata di un'ora con un conduttore formato, adatta a chi ha una patologia cronica.",
     ["camminate-natura", "sport", "promozione-salute", "patologia-cronica", "inattivita",
      "anziani"], 18, None, "it", 25, None,
     ("WEEKLY", "MO,TH", "09:00", "10:00", date(2025, 9, 15), None), "published", None),
    ("Casa della Salute", "Caffè dei caregiver",
     "Un'ora di incontro e sollievo per chi si prende cura di un familiare.",
     ["socialita", "caregiver", "caregiver"], 18, None, "it", 15, None,
     ("MONTHLY", "-1FR", "16:00", "17:30", date(2025, 9, 26), None), "published", None),
    ("Community Hub Culture Ibride", "Laboratorio di culture ibride",
     "Incontri tra studenti di Unistrasi, nuovi arrivati e cittadini: lingue, cucine, racconti.",
     ["socialita", "apprendimento", "nuovi-arrivati", "solitudine", "migranti", "adulti"], 16,
     None, "it,en,fr,ar", 30, None,
     ("WEEKLY", "WE", "18:00", "20:00", date(2025, 10, 1), None), "published", None),
    ("Castello Aldobrandesco", "Camminata nei castagneti dell'Amiata",
     "Passeggiata nella natura tra i castagneti, con sosta e racconti sul patrimonio locale.",
     ["camminate-natura", "patrimonio", "inattivita", "solitudine", "anziani", "adulti"], None,
     None, "it", 20, None,
     ("WEEKLY", "SU", "09:30", "12:00", date(2025, 9, 28), None), "published",
     date(2025, 3, 1)),
    ("Biblioteca comunale", "Gruppo di lettura ad alta voce",
     "Si legge insieme ad alta voce: per chi vede poco o ama ascoltare.",
     ["lettura", "solitudine", "anziani"], None, None, "it", 15, None,
     ("WEEKLY", "FR", "10:00", "11:30", date(2025, 9, 19), None), "published", None),
    ("Centro civico", "Coro di comunità",
     "Cantare insieme, senza bisogno di saper leggere la musica.",
     ["musica", "umore-ansia", "solitudine", "adulti", "anziani"], 12, None, "it", 40,
     ("Contributo mensile", "10.00"),
     ("WEEKLY", "TU", "21:00", "22:30", date(2025, 10, 7), None), "published", None),
    ("Laboratorio di Comunità di Cremona", "Laboratorio di Comunità",
     "Si leggono insieme i problemi del quartiere, si ascoltano i bisogni e si progetta come "
     "rispondere, come nel progetto Wel(l)FARE legami.",
     ["volontariato", "socialita", "difficolta-economiche", "solitudine", "adulti", "famiglie"],
     18, None, "it", None, None,
     ("WEEKLY", "TH", "18:00", "20:00", date(2025, 9, 18), None), "published", None),
    ("Laboratorio di Comunità di Crema", "Scambio di tempo e competenze",
     "Chi riceve aiuto restituisce tempo alla comunità: riparazioni, compiti, compagnia.",
     ["volontariato", "difficolta-economiche", "adulti", "famiglie"], 16, None, "it", None,
     None, ("WEEKLY", "SA", "10:00", "12:00", date(2026, 1, 10), None), "draft", None),
]
