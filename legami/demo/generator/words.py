"""Word lists the generator draws from. Everything here is invented: names that sound like a
province's associations, libraries and choirs, none of them a real body's."""

# fmt: off
# Sector codes of network.Sector with how often a generated organisation has them.
SECTORS = [
    ("third_sector", 45),
    ("social_cooperative", 12),
    ("informal_group", 12),
    ("cultural_place", 10),
    ("school", 6),
    ("business", 5),
    ("public_administration", 4),
    ("social_services", 3),
    ("foundation", 3),
]

NICKNAMES = [
    "Il Girasole", "La Rondine", "Arcobaleno", "Il Ponte", "Insieme", "La Quercia", "Il Filo",
    "Orizzonti", "Terra Viva", "Il Sorriso", "La Fenice", "Il Melograno", "Nuovi Passi",
    "Passo dopo Passo", "Il Faro", "La Bussola", "Sole e Luna", "Il Mosaico", "Tra le Righe",
    "La Tela", "Il Cortile", "Le Radici", "Il Seme", "La Lanterna", "Il Tiglio", "L'Airone",
    "Il Gelso", "La Cascina", "Via Libera", "Porte Aperte", "Il Crocevia", "La Piazza",
    "Cuore Amico", "Il Veliero", "L'Aquilone", "Il Germoglio", "La Sorgente", "Il Pioppo",
    "Il Naviglio", "La Golena", "Il Torrazzo Verde", "Mille Voci", "La Chiocciola", "Il Cerchio",
    "Il Granaio", "La Corte", "Filo d'Erba", "Il Mulino", "La Roggia", "Il Campanile",
]
SURNAMES = [
    "Rossi", "Bianchi", "Ferrari", "Ghisolfi", "Bertoletti", "Cavalli", "Pedrini",
    "Zanoni", "Mainardi", "Ruggeri", "Lodigiani", "Manfredini", "Tessadori", "Boldori",
    "Fappani", "Galbignani", "Carotti", "Anselmi", "Dossena", "Bergamaschi", "Zaffanella",
    "Bonetti", "Ghidotti", "Sacchi", "Cremonesi", "Vailati", "Arcari", "Bodini", "Visigalli",
]
SAINTS = [
    "San Giorgio", "Sant'Ambrogio", "San Luca", "San Martino", "Santa Maria", "San Rocco",
    "San Pietro", "Sant'Agata", "San Bernardo", "San Francesco", "Santa Lucia", "San Giuseppe",
]
STREETS = [
    "Via Roma", "Via Garibaldi", "Via Mazzini", "Via Cavour", "Via Dante", "Via Matteotti",
    "Via XX Settembre", "Via IV Novembre", "Via Verdi", "Via Manzoni", "Via Marconi",
    "Via Gramsci", "Piazza del Comune", "Viale della Libertà", "Via dei Mille", "Via Po",
    "Via Europa", "Via della Chiesa", "Via Solferino", "Via Mulini", "Via dei Tigli",
    "Piazza della Pace", "Via Castello", "Via Fiume", "Vicolo Stretto", "Via Trento",
]
QUARTERS = ["Centro", "Borgo", "Stazione", "Nord", "Sud", "Porta Po", "San Felice", "Cascinetto"]

# sector -> patterns; {nick}, {comune}, {surname}, {saint}, {quarter} are filled in.
ORGANISATION_PATTERNS = {
    "third_sector": [
        "Associazione {nick}", "APS {nick} {comune}", "ODV {nick}", "Auser {comune}",
        "Pro Loco {comune}", "Circolo {nick}", "ASD {nick} {comune}", "Gruppo volontari {comune}",
        "Associazione {nick} di {comune}", "Banca del tempo {nick}",
    ],
    "social_cooperative": [
        "Cooperativa sociale {nick}", "Coop. sociale {nick} {comune}", "Consorzio {nick}",
    ],
    "informal_group": [
        "Gruppo {nick}", "Comitato di quartiere {quarter} ({comune})", "Social street {street}",
        "Amici di {saint}", "Genitori in rete {comune}",
    ],
    "cultural_place": [
        "Biblioteca civica di {comune}", "Museo civico di {comune}", "Teatro {nick}",
        "Archivio storico di {comune}", "Casa della cultura di {comune}",
    ],
    "school": ["Istituto comprensivo di {comune}", "Scuola primaria {surname} ({comune})"],
    "business": ["{surname} & C. snc", "Farmacia {surname}", "Cascina {surname}"],
    "public_administration": ["Comune di {comune}", "Biblioteca del Comune di {comune}"],
    "social_services": ["Servizi sociali di {comune}", "Centro per le famiglie {comune}"],
    "foundation": ["Fondazione {surname}", "Fondazione {nick}"],
}

PLACE_PATTERNS = [
    "Sede di {org}", "Sala civica {quarter}", "Biblioteca comunale di {comune}",
    "Centro anziani {nick}", "Oratorio {saint}", "Parco {nick}", "Palestra comunale di {comune}",
    "Casa delle associazioni di {comune}", "Centro civico {quarter}", "Cascina {surname}",
    "Orto urbano di {street}", "Sala parrocchiale {saint}", "Auditorium {surname}",
]
ACCESSIBILITY_NOTES = [
    "Ingresso senza gradini dal cortile.", "Ascensore fino al primo piano.",
    "Bagno accessibile al piano terra.", "Anello a induzione nella sala principale.",
    "Percorso tattile dall'ingresso.", "",
]
TRANSPORT_NOTES = [
    "Fermata dell'autobus a 200 metri.", "Parcheggio gratuito davanti all'ingresso.",
    "A cinque minuti a piedi dalla stazione.", "Rastrelliera per biciclette nel cortile.", "",
]

# domain term code -> activity names; the description draws on the same theme.
ACTIVITY_NAMES = {
    "cultura": ["Incontri culturali", "Cineforum di comunità", "Serate di cultura"],
    "museo": [
        "Visite guidate al museo", "Museo per tutti", "Laboratorio al museo",
        "Mostra raccontata", "Domenica al museo",
    ],
    "lettura": [
        "Gruppo di lettura", "Letture ad alta voce", "Circolo dei lettori", "Biblioteca vivente",
        "Letture per i più piccoli", "Caffè letterario",
    ],
    "musica": [
        "Coro di comunità", "Laboratorio di canto", "Banda aperta", "Musica d'insieme",
        "Percussioni in cerchio",
    ],
    "teatro": [
        "Laboratorio teatrale", "Teatro di comunità", "Teatro sociale",
        "Improvvisazione teatrale",
    ],
    "arti": [
        "Laboratorio di ceramica", "Acquerello insieme", "Maglia e uncinetto",
        "Fotografia di comunità", "Laboratorio di falegnameria", "Pittura libera",
    ],
    "patrimonio": [
        "Archivio della memoria", "Racconti di paese", "Passeggiate nella storia",
        "Dialetto e tradizioni",
    ],
    "ambiente": ["Laboratorio di riciclo", "Educazione ambientale", "Repair café"],
    "giardinaggio": [
        "Orto condiviso", "Orto sociale", "Laboratorio di giardinaggio", "Semi e piantine",
    ],
    "camminate-natura": [
        "Gruppo di cammino", "Camminata lungo il fiume", "Passeggiate nei parchi",
        "Nordic walking", "Camminate in golena",
    ],
    "cura-verde": ["Cura del parco", "Adotta un'aiuola", "Giornata del verde pulito"],
    "sport": [
        "Ginnastica dolce", "Yoga per tutti", "Attività fisica adattata", "Calcio di strada",
        "Ballo liscio", "Tai chi al parco", "Acquagym", "Bocce insieme",
    ],
    "socialita": [
        "Caffè sociale", "Pranzo di comunità", "Tombolata", "Pomeriggi insieme",
        "Merenda condivisa", "Carte e giochi da tavolo",
    ],
    "volontariato": [
        "Volontariato in biblioteca", "Banco alimentare", "Accompagnamento solidale",
        "Volontari per l'ambiente", "Doposcuola solidale",
    ],
    "apprendimento": [
        "Corso di italiano per stranieri", "Alfabetizzazione digitale",
        "Smartphone per over 65", "Università della terza età", "Corso di cucina",
        "Conversazione in inglese",
    ],
    "promozione-salute": [
        "Gruppo di auto-mutuo aiuto", "Incontri sul benessere", "Prevenzione delle cadute",
        "Allenamento della memoria", "Mindfulness", "Cucina salutare",
    ],
}
THEMES = {
    "cultura": "incontri, proiezioni e chiacchierate su libri, film e storia locale",
    "museo": "visite alle collezioni del museo con mediatori e laboratori",
    "lettura": "lettura condivisa di romanzi e racconti, con scambio di libri",
    "musica": "canto corale e musica d'insieme, senza bisogno di saper leggere la musica",
    "teatro": "esercizi di teatro, voce e movimento fino a uno spettacolo finale",
    "arti": "lavoro manuale guidato da artigiani e artisti del territorio",
    "patrimonio": "raccolta di ricordi, fotografie e racconti del paese",
    "ambiente": "piccole azioni per l'ambiente, riuso e riparazione di oggetti",
    "giardinaggio": "coltivazione di ortaggi e fiori in un orto comune",
    "camminate-natura": "camminate a passo tranquillo lungo argini, campi e parchi",
    "cura-verde": "cura di aiuole, parchi e spazi comuni insieme ai vicini",
    "sport": "movimento adatto a tutte le età, con istruttori qualificati",
    "socialita": "tempo insieme, una merenda e quattro chiacchiere",
    "volontariato": "volontariato con affiancamento e turni flessibili",
    "apprendimento": "lezioni in piccoli gruppi con materiali forniti",
    "promozione-salute": "incontri su benessere, alimentazione e stili di vita sani",
}
NEED_SENTENCES = {
    "solitudine": "È un modo per conoscere persone nuove e sentirsi meno soli.",
    "umore-ansia": "Aiuta a ritrovare energia e fiducia nei momenti difficili.",
    "patologia-cronica": "Adatta anche a chi convive con una malattia cronica.",
    "inattivita": "Un'occasione per muoversi con regolarità.",
    "caregiver": "Pensata anche per chi si prende cura di un familiare.",
    "nuovi-arrivati": "Accoglie chi è arrivato da poco sul territorio.",
    "giovani": "Dà spazio alle idee dei più giovani.",
    "anziani": "A misura di persone anziane, con ritmi tranquilli.",
    "lutto": "Offre ascolto a chi ha perso una persona cara.",
    "difficolta-economiche": "Senza costi nascosti, per chi fa fatica ad arrivare a fine mese.",
}
PRACTICAL = [
    "Non serve esperienza.", "Portare abiti comodi.", "Il materiale è fornito.",
    "Si può venire anche solo una volta per provare.", "È gradita la prenotazione.",
    "Posti limitati: telefonare prima.", "Aperto a tutti i residenti e non.",
]
HOW_TO_JOIN = [
    "Presentarsi all'inizio di un incontro.", "Telefonare al referente.",
    "Scrivere una e-mail per iscriversi.", "Iscrizione in biblioteca.", "",
]
FIRST_NAMES = [
    "Anna", "Marco", "Giulia", "Luca", "Francesca", "Paolo", "Chiara", "Giovanni", "Elena",
    "Stefano", "Silvia", "Andrea", "Laura", "Matteo", "Maria", "Davide", "Sara", "Roberto",
]
COST_OPTIONS = [
    ("Quota mensile", 10, 40),
    ("Ingresso singolo", 3, 10),
    ("Quota associativa annuale", 10, 30),
    ("Tessera stagionale", 30, 90),
    ("Riduzione over 65", 2, 15),
]
SUSPENSION_NOTES = [
    "Sospesa per lavori nella sede.", "Sospesa in attesa di un nuovo referente.",
    "Sospesa per la pausa estiva.",
]
LANGUAGES = [
    ("it", 70), ("it,en", 12), ("it,fr", 4), ("it,ar", 3), ("it,ro", 3), ("it,uk", 2),
    ("it,en,fr", 2), ("it,sq", 1), ("it,zh", 1), ("it,lis", 1), ("it,es", 1),
]
