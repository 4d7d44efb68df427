"""Usual names of the inhabitants of départements (masculine singular, folded), to read headings such as
"Collectivités essonniennes labellisées". Words shared by two départements ("charentais", "savoyard",
"ligerien", "viennois" — also the people of Vienne, Isère — and "parisien", said of the whole région)
are left out on purpose: a heading that uses them points to no single département."""

GENTILES: dict[str, str] = {
    "aindinois": "01", "axonais": "02", "bourbonnais": "03", "bas alpin": "04", "haut alpin": "05",
    "maralpin": "06", "ardechois": "07", "ardennais": "08", "ariegeois": "09", "aubois": "10", "audois": "11",
    "aveyronnais": "12", "bucco rhodanien": "13", "calvadosien": "14", "cantalien": "15",
    "charentais maritime": "17", "correzien": "19", "cote d orien": "21", "costarmoricain": "22",
    "creusois": "23", "perigourdin": "24", "dordognais": "24", "doubien": "25", "dromois": "26", "eurois": "27",
    "eurelien": "28", "finisterien": "29", "gardois": "30", "haut garonnais": "31", "gersois": "32",
    "girondin": "33", "heraultais": "34", "bretillien": "35", "indrien": "36", "tourangeau": "37",
    "iserois": "38", "jurassien": "39", "landais": "40", "loir et cherien": "41", "altiligerien": "43",
    "loiretain": "45", "lotois": "46", "lot et garonnais": "47", "lozerien": "48", "maine et loirien": "49",
    "manchois": "50", "marnais": "51", "haut marnais": "52", "mayennais": "53", "meurthe et mosellan": "54",
    "meusien": "55", "morbihannais": "56", "mosellan": "57", "nivernais": "58", "nordiste": "59",
    "isarien": "60", "ornais": "61", "pas de calaisien": "62", "puydomois": "63", "haut pyreneen": "65",
    "bas rhinois": "67", "haut rhinois": "68", "rhodanien": "69", "haut saonois": "70",
    "saone et loirien": "71", "sarthois": "72", "haut savoyard": "74", "seinomarin": "76",
    "seine et marnais": "77", "yvelinois": "78", "deux sevrien": "79", "samarien": "80", "tarnais": "81",
    "tarn et garonnais": "82", "varois": "83", "vauclusien": "84", "vendeen": "85", "haut viennois": "87",
    "vosgien": "88", "icaunais": "89", "terrifortain": "90", "essonnien": "91", "alto sequanais": "92",
    "sequano dionysien": "93", "val de marnais": "94", "valdoisien": "95", "val d oisien": "95",
    "guadeloupeen": "971", "martiniquais": "972", "guyanais": "973", "reunionnais": "974", "mahorais": "976",
}
