//! Word lists for synthetic people: frequent French family and given names, combined at
//! random. No combination describes a real person on purpose.

pub const NOMS: &[&str] = &[
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
    "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
    "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin",
    "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont",
    "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière",
    "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy",
    "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
    "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq",
    "Guillaume", "Lecomte", "Thiébaut", "Collignon", "Humbert", "Jacquot", "Mangin", "Didier", "Poirson", "Marchal",
    "Antoine", "Georges", "N'Diaye", "Diallo", "Haddad", "Benali", "Nguyen", "Kaya", "Yilmaz", "Da Silva", "Ferreira",
    "Traoré",
];

pub const PRENOMS_F: &[&str] = &[
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Christine", "Valérie", "Céline", "Stéphanie",
    "Julie", "Aurélie", "Émilie", "Camille", "Laura", "Sarah", "Manon", "Léa", "Chloé", "Océane", "Inès", "Jade",
    "Emma", "Lucie", "Mélanie", "Audrey", "Élodie", "Virginie", "Karine", "Laëtitia", "Amandine", "Jessica", "Pauline",
    "Marion", "Charlotte", "Anaïs", "Justine", "Morgane", "Coralie", "Fatima", "Aïcha", "Yasmine", "Nadia", "Samira",
    "Anne-Sophie", "Marie-Claire", "Françoise", "Monique", "Brigitte", "Chantal",
];

pub const PRENOMS_M: &[&str] = &[
    "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Patrick", "Stéphane", "Laurent",
    "Sébastien", "Julien", "David", "Frédéric", "Olivier", "Thomas", "Kévin", "Maxime", "Alexandre", "Romain",
    "Anthony", "Jérémy", "Mickaël", "Dylan", "Lucas", "Hugo", "Théo", "Enzo", "Nathan", "Mathis", "Quentin", "Florian",
    "Guillaume", "Benoît", "Cédric", "Damien", "Jérôme", "Ludovic", "Mohamed", "Karim", "Mehdi", "Youssef", "Rachid",
    "Jean-Pierre", "Jean-Marc", "Jean-Luc", "Gaëtan", "Loïc", "Bruno", "Thierry",
];
