//! Names: modest lists of surnames and forenames for the communities of a force like
//! Leicestershire, drawn with realistic frequencies.
//!
//! British surnames carry their approximate frequency per thousand people in England and
//! Wales (ONS and GB surname studies put Smith near 1.3%, Jones near 0.9%, Williams and
//! Taylor near 0.6%); beyond the listed names (about 28% of people) a long tail of place-name
//! surnames (Ashworth, Bramley) carries the rest, as the real tail does. Other
//! lists are in rough order of frequency and drawn with Zipf weights (the k-th name about
//! 1/(k+2) as often as the first). British forenames depend on the decade of birth, after
//! the ONS lists of baby names and the census-era lists before them. Every name is an
//! ordinary one; any likeness to a real person is chance.

use rand::Rng;
use rand::seq::IndexedRandom;

use bluelamp_domain::person::{Ethnicity, Sex};

/// British surnames with their frequency per thousand people (approximate).
const BRITISH_SURNAMES: &[(&str, f64)] = &[
    ("Smith", 12.6),
    ("Jones", 7.5),
    ("Williams", 6.1),
    ("Taylor", 5.6),
    ("Brown", 5.5),
    ("Davies", 4.6),
    ("Wilson", 3.5),
    ("Evans", 3.4),
    ("Thomas", 3.2),
    ("Johnson", 3.2),
    ("Roberts", 3.1),
    ("Robinson", 2.7),
    ("Thompson", 2.7),
    ("Wright", 2.6),
    ("Walker", 2.6),
    ("White", 2.4),
    ("Edwards", 2.3),
    ("Hughes", 2.3),
    ("Green", 2.3),
    ("Hall", 2.3),
    ("Lewis", 2.2),
    ("Harris", 2.2),
    ("Clarke", 2.1),
    ("Jackson", 2.0),
    ("Wood", 2.0),
    ("Turner", 1.9),
    ("Martin", 1.9),
    ("Cooper", 1.9),
    ("Hill", 1.9),
    ("Ward", 1.8),
    ("Morris", 1.8),
    ("Moore", 1.8),
    ("Clark", 1.8),
    ("Lee", 1.7),
    ("King", 1.7),
    ("Baker", 1.7),
    ("Harrison", 1.7),
    ("Morgan", 1.6),
    ("Allen", 1.6),
    ("James", 1.6),
    ("Scott", 1.6),
    ("Phillips", 1.5),
    ("Watson", 1.5),
    ("Davis", 1.5),
    ("Parker", 1.5),
    ("Price", 1.4),
    ("Bennett", 1.4),
    ("Young", 1.4),
    ("Griffiths", 1.4),
    ("Mitchell", 1.4),
    ("Kelly", 1.3),
    ("Cook", 1.3),
    ("Carter", 1.3),
    ("Richardson", 1.3),
    ("Bailey", 1.3),
    ("Collins", 1.3),
    ("Bell", 1.3),
    ("Shaw", 1.2),
    ("Murphy", 1.2),
    ("Miller", 1.2),
    ("Cox", 1.2),
    ("Richards", 1.2),
    ("Marshall", 1.1),
    ("Anderson", 1.1),
    ("Simpson", 1.1),
    ("Ellis", 1.1),
    ("Adams", 1.1),
    ("Wilkinson", 1.0),
    ("Foster", 1.0),
    ("Chapman", 1.0),
    ("Powell", 1.0),
    ("Webb", 1.0),
    ("Rogers", 1.0),
    ("Gray", 1.0),
    ("Mason", 1.0),
    ("Hunt", 1.0),
    ("Campbell", 1.0),
    ("Matthews", 1.0),
    ("Owen", 1.0),
    ("Palmer", 0.9),
    ("Holmes", 0.9),
    ("Mills", 0.9),
    ("Barnes", 0.9),
    ("Knight", 0.9),
    ("Lloyd", 0.9),
    ("Butler", 0.9),
    ("Russell", 0.9),
    ("Barker", 0.9),
    ("Fisher", 0.9),
    ("Stevens", 0.9),
    ("Jenkins", 0.9),
    ("Murray", 0.9),
    ("Dixon", 0.9),
    ("Harvey", 0.9),
    ("Graham", 0.8),
    ("Pearson", 0.8),
    ("Fletcher", 0.8),
    ("Walsh", 0.8),
    ("Gibson", 0.8),
    ("Howard", 0.8),
    ("Andrews", 0.8),
    ("Stewart", 0.8),
    ("Elliott", 0.8),
    ("Reynolds", 0.8),
    ("Saunders", 0.8),
    ("Payne", 0.8),
    ("Fox", 0.8),
    ("Ford", 0.8),
    ("Pearce", 0.8),
    ("Day", 0.7),
    ("Brooks", 0.7),
    ("West", 0.7),
    ("Lawrence", 0.7),
    ("Cole", 0.7),
    ("Atkinson", 0.7),
    ("Bradley", 0.7),
    ("Spencer", 0.7),
    ("Dawson", 0.7),
    ("Ball", 0.7),
    ("Burton", 0.7),
    ("O'Brien", 0.7),
    ("Watts", 0.7),
    ("Rose", 0.7),
    ("Booth", 0.7),
    ("Perry", 0.7),
    ("Ryan", 0.7),
    ("Grant", 0.7),
    ("Wells", 0.7),
    ("Armstrong", 0.7),
    ("Francis", 0.7),
    ("Rees", 0.7),
    ("Hayes", 0.7),
    ("Hart", 0.7),
    ("Hudson", 0.7),
    ("Newman", 0.7),
    ("Barrett", 0.7),
    ("Webster", 0.7),
    ("Hunter", 0.7),
    ("Gregory", 0.6),
    ("Carr", 0.6),
    ("Lowe", 0.6),
    ("Page", 0.6),
    ("Marsh", 0.6),
    ("Riley", 0.6),
    ("Dunn", 0.6),
    ("Woods", 0.6),
    ("Parsons", 0.6),
    ("Berry", 0.6),
    ("Stone", 0.6),
    ("Reid", 0.6),
    ("Holland", 0.6),
    ("Hawkins", 0.6),
    ("Harding", 0.6),
    ("Porter", 0.6),
    ("Robertson", 0.6),
    ("Newton", 0.6),
    ("Oliver", 0.6),
    ("Reed", 0.6),
    ("Kennedy", 0.6),
    ("Williamson", 0.6),
    ("Bird", 0.6),
    ("Gardner", 0.6),
    ("Dean", 0.6),
    ("Lane", 0.6),
    ("Cooke", 0.6),
    ("Bates", 0.6),
    ("Henderson", 0.6),
    ("Parry", 0.6),
    ("Burgess", 0.6),
    ("Bishop", 0.6),
    ("Walton", 0.6),
    ("Burns", 0.6),
    ("Nicholson", 0.6),
    ("Shepherd", 0.6),
    ("Ross", 0.6),
    ("Cross", 0.6),
    ("Long", 0.6),
    ("Freeman", 0.6),
    ("Warren", 0.6),
    ("Nicholls", 0.6),
    ("Hamilton", 0.6),
    ("Byrne", 0.6),
    ("Sutton", 0.6),
    ("McDonald", 0.6),
    ("Yates", 0.6),
    ("Hodgson", 0.6),
    ("Robson", 0.6),
    ("Curtis", 0.6),
    ("Hopkins", 0.6),
    ("O'Connor", 0.6),
    ("Harper", 0.6),
    ("Coleman", 0.6),
    ("Watkins", 0.6),
    ("Moss", 0.6),
    ("McCarthy", 0.6),
    ("Chambers", 0.5),
    ("Griffin", 0.5),
    ("Sharp", 0.5),
    ("Hardy", 0.5),
    ("Wheeler", 0.5),
    ("Potter", 0.5),
    ("Osborne", 0.5),
    ("Johnston", 0.5),
    ("Gordon", 0.5),
    ("Doyle", 0.5),
    ("Wallace", 0.5),
    ("George", 0.5),
    ("Jordan", 0.5),
    ("Hutchinson", 0.5),
    ("Rowe", 0.5),
    ("Burke", 0.5),
    ("May", 0.5),
    ("Pritchard", 0.5),
    ("Gilbert", 0.5),
    ("Willis", 0.5),
    ("Higgins", 0.5),
    ("Read", 0.5),
    ("Miles", 0.5),
    ("Stevenson", 0.5),
    ("Hammond", 0.5),
    ("Arnold", 0.5),
    ("Buckley", 0.5),
    ("Walters", 0.5),
    ("Hewitt", 0.5),
    ("Barber", 0.5),
    ("Nelson", 0.5),
    ("Slater", 0.5),
    ("Austin", 0.5),
    ("Sullivan", 0.5),
    ("Whitehead", 0.5),
    ("Mann", 0.5),
    ("Frost", 0.5),
    ("Lambert", 0.5),
    ("Stephens", 0.5),
    ("Blake", 0.5),
    ("Lynch", 0.5),
    ("Goodwin", 0.5),
    ("Barton", 0.5),
    ("Woodward", 0.5),
    ("Cunningham", 0.5),
    ("Quinn", 0.5),
    ("Barnett", 0.5),
    ("Baxter", 0.5),
    ("Clayton", 0.5),
    ("Nash", 0.5),
    ("Greenwood", 0.5),
    ("Jennings", 0.5),
    ("Holt", 0.5),
    ("Kemp", 0.5),
    ("Poole", 0.5),
    ("Bond", 0.5),
    ("Stokes", 0.5),
    ("Tucker", 0.5),
    ("Fowler", 0.5),
    ("Heath", 0.5),
    ("Norman", 0.5),
    ("Middleton", 0.5),
    ("Lawson", 0.5),
    ("Banks", 0.5),
    ("French", 0.5),
    ("Stanley", 0.5),
    ("Jarvis", 0.5),
    ("Gibbs", 0.5),
    ("Ferguson", 0.5),
    ("Hayward", 0.5),
    ("Smith-Jones", 0.05),
    ("Taylor-Brown", 0.05),
    ("Hughes-Davies", 0.05),
];

/// First and second halves of English place-name surnames: the long tail.
const TAIL_HEADS: &[&str] = &[
    "Ash", "Brad", "Brom", "Crom", "Hay", "Hol", "Kings", "Lang", "Mar", "Mid", "Mor", "New",
    "North", "Pem", "Rad", "Sal", "Shel", "South", "Stan", "Thorn", "Wake", "Wal", "West", "Whit",
    "Wil", "Wood", "Black", "Brook", "Church", "Cold", "Dun", "Fair", "Green", "Hart", "Hazel",
    "Lock", "Oak", "Ray", "Red", "Roth", "Bram", "Chad", "Ed", "Glad", "Hather", "Ken", "Lind",
    "Pick", "Sher", "Tad",
];
const TAIL_TAILS: &[&str] = &[
    "worth", "ley", "ton", "field", "ford", "wood", "well", "by", "ham", "cliffe", "more", "stone",
    "bridge", "gate", "hurst", "combe", "den", "shaw", "thorpe", "wick", "bury", "croft", "dale",
    "lock", "stead",
];

const BRITISH_MALE: [&[&str]; 4] = [
    &[
        "John", "David", "Michael", "Peter", "Robert", "Anthony", "Brian", "Alan", "William",
        "James", "Keith", "Kenneth", "George", "Roy", "Raymond", "Colin", "Barry", "Terence",
        "Derek", "Dennis", "Geoffrey", "Ronald", "Frank", "Malcolm", "Graham",
    ],
    &[
        "Paul",
        "Mark",
        "David",
        "Andrew",
        "Richard",
        "Stephen",
        "Ian",
        "Michael",
        "Gary",
        "Steven",
        "Darren",
        "Simon",
        "Neil",
        "Martin",
        "Lee",
        "Jason",
        "Christopher",
        "Craig",
        "Wayne",
        "Dean",
        "Carl",
        "Kevin",
        "Robert",
        "Philip",
        "Nigel",
    ],
    &[
        "Daniel",
        "James",
        "Christopher",
        "Matthew",
        "Thomas",
        "Michael",
        "David",
        "Adam",
        "Luke",
        "Ryan",
        "Andrew",
        "Jamie",
        "Benjamin",
        "Samuel",
        "Joshua",
        "Liam",
        "Jack",
        "Craig",
        "Scott",
        "Lewis",
        "Jordan",
        "Nathan",
        "Ashley",
        "Robert",
        "Alexander",
    ],
    &[
        "Jack", "Oliver", "Harry", "Charlie", "Thomas", "Joshua", "George", "James", "William",
        "Jacob", "Alfie", "Noah", "Leo", "Oscar", "Freddie", "Archie", "Henry", "Theo", "Ethan",
        "Logan", "Riley", "Mason", "Max", "Lucas", "Isaac",
    ],
];
const BRITISH_FEMALE: [&[&str]; 4] = [
    &[
        "Margaret",
        "Patricia",
        "Susan",
        "Mary",
        "Christine",
        "Linda",
        "Janet",
        "Elizabeth",
        "Barbara",
        "Jean",
        "Ann",
        "Pauline",
        "Sheila",
        "Carol",
        "Valerie",
        "Sandra",
        "Maureen",
        "Brenda",
        "Joan",
        "Kathleen",
        "Jennifer",
        "Dorothy",
        "Gillian",
        "Irene",
        "Marion",
    ],
    &[
        "Julie",
        "Karen",
        "Tracey",
        "Susan",
        "Sarah",
        "Deborah",
        "Jacqueline",
        "Amanda",
        "Nicola",
        "Alison",
        "Joanne",
        "Michelle",
        "Claire",
        "Helen",
        "Lisa",
        "Donna",
        "Dawn",
        "Angela",
        "Elaine",
        "Kelly",
        "Samantha",
        "Emma",
        "Louise",
        "Caroline",
        "Wendy",
    ],
    &[
        "Sarah",
        "Laura",
        "Emma",
        "Rebecca",
        "Gemma",
        "Amy",
        "Jessica",
        "Hannah",
        "Lauren",
        "Charlotte",
        "Sophie",
        "Katie",
        "Rachel",
        "Natalie",
        "Danielle",
        "Stacey",
        "Jade",
        "Chloe",
        "Kirsty",
        "Zoe",
        "Leanne",
        "Stephanie",
        "Victoria",
        "Jennifer",
        "Hayley",
    ],
    &[
        "Olivia", "Amelia", "Emily", "Isla", "Ava", "Jessica", "Isabella", "Lily", "Sophie",
        "Grace", "Mia", "Poppy", "Ella", "Evie", "Ruby", "Chloe", "Freya", "Millie", "Sophia",
        "Phoebe", "Daisy", "Evelyn", "Scarlett", "Matilda", "Harriet",
    ],
];

/// A community's names.
#[derive(Debug)]
struct Pool {
    surnames: &'static [&'static str],
    male: &'static [&'static str],
    female: &'static [&'static str],
}

const IRISH: Pool = Pool {
    surnames: &[
        "Murphy",
        "Kelly",
        "O'Brien",
        "Ryan",
        "O'Sullivan",
        "Walsh",
        "Byrne",
        "O'Connor",
        "McCarthy",
        "Doyle",
        "Gallagher",
        "O'Neill",
        "Lynch",
        "Murray",
        "Quinn",
        "McLaughlin",
        "Carroll",
        "Connolly",
        "Daly",
        "Kennedy",
        "Brennan",
        "Burke",
        "Collins",
        "Dunne",
        "Flynn",
        "Keane",
        "Power",
        "Kavanagh",
    ],
    male: &[
        "Patrick", "Sean", "Michael", "John", "Brendan", "Declan", "Kieran", "Liam", "Ciaran",
        "Connor", "Eamon", "Thomas", "Padraig", "Niall", "Aidan",
    ],
    female: &[
        "Mary",
        "Siobhan",
        "Bridget",
        "Margaret",
        "Niamh",
        "Aoife",
        "Ciara",
        "Sinead",
        "Orla",
        "Roisin",
        "Catherine",
        "Maeve",
        "Deirdre",
        "Eileen",
        "Grainne",
    ],
};

const TRAVELLER: Pool = Pool {
    surnames: &[
        "Smith",
        "Lee",
        "Price",
        "Boswell",
        "Lovell",
        "Doran",
        "Ward",
        "McDonagh",
        "Stanley",
        "Cooper",
        "Buckley",
        "Gray",
        "Loveridge",
        "Connors",
        "Joyce",
    ],
    male: &[
        "John", "Tom", "Levi", "Noah", "Jimmy", "Billy", "Joe", "Patrick", "Michael", "Henry",
    ],
    female: &[
        "Mary", "Bridget", "Kathleen", "Rosie", "Margaret", "Ellen", "Nora", "Lilly", "Shania",
    ],
};

/// Polish, Lithuanian, Romanian and Bulgarian names; surnames as men bear them (women's
/// forms are made by [`feminine`]).
const EASTERN_EUROPEAN: Pool = Pool {
    surnames: &[
        "Nowak",
        "Kowalski",
        "Wiśniewski",
        "Wójcik",
        "Kowalczyk",
        "Kamiński",
        "Lewandowski",
        "Zieliński",
        "Szymański",
        "Woźniak",
        "Dąbrowski",
        "Kozłowski",
        "Jankowski",
        "Mazur",
        "Kwiatkowski",
        "Krawczyk",
        "Piotrowski",
        "Grabowski",
        "Kazlauskas",
        "Jankauskas",
        "Petrauskas",
        "Popescu",
        "Ionescu",
        "Popa",
        "Dumitru",
        "Stan",
        "Ivanov",
        "Georgiev",
        "Dimitrov",
        "Horváth",
    ],
    male: &[
        "Piotr",
        "Tomasz",
        "Krzysztof",
        "Paweł",
        "Michał",
        "Marcin",
        "Łukasz",
        "Jakub",
        "Mateusz",
        "Adam",
        "Andrzej",
        "Marek",
        "Jonas",
        "Tomas",
        "Mindaugas",
        "Andrei",
        "Ion",
        "Mihai",
        "Alexandru",
        "Ivan",
        "Georgi",
        "Dimitar",
        "Martin",
        "Jan",
    ],
    female: &[
        "Anna",
        "Katarzyna",
        "Agnieszka",
        "Magdalena",
        "Joanna",
        "Monika",
        "Ewa",
        "Małgorzata",
        "Karolina",
        "Natalia",
        "Aleksandra",
        "Justyna",
        "Agne",
        "Ruta",
        "Ieva",
        "Elena",
        "Ioana",
        "Maria",
        "Andreea",
        "Mihaela",
        "Ivana",
        "Petra",
        "Zuzana",
    ],
};

const SOUTHERN_EUROPEAN: Pool = Pool {
    surnames: &[
        "Silva",
        "Santos",
        "Ferreira",
        "Pereira",
        "Oliveira",
        "Costa",
        "Rodrigues",
        "Martins",
        "Rossi",
        "Russo",
        "Ferrari",
        "Esposito",
        "Bianchi",
        "Romano",
        "Garcia",
        "Fernandez",
        "Lopez",
        "Gonzalez",
        "Papadopoulos",
        "Georgiou",
    ],
    male: &[
        "João",
        "Pedro",
        "Carlos",
        "Miguel",
        "José",
        "António",
        "Marco",
        "Luca",
        "Giuseppe",
        "Francesco",
        "Javier",
        "Alejandro",
        "Nikos",
        "Dimitris",
    ],
    female: &[
        "Ana",
        "Maria",
        "Sofia",
        "Inês",
        "Rita",
        "Carla",
        "Giulia",
        "Francesca",
        "Chiara",
        "Lucía",
        "Elena",
        "Eleni",
    ],
};

/// Gujarati Hindu names, the largest Indian community in Leicester.
const GUJARATI: Pool = Pool {
    surnames: &[
        "Patel",
        "Patel",
        "Patel",
        "Mistry",
        "Parmar",
        "Chauhan",
        "Solanki",
        "Lad",
        "Joshi",
        "Shah",
        "Mehta",
        "Kotecha",
        "Thakrar",
        "Pandya",
        "Vaghela",
        "Makwana",
        "Gohil",
        "Chudasama",
        "Rathod",
        "Modi",
        "Desai",
        "Bhatt",
        "Dave",
        "Trivedi",
        "Vyas",
        "Jani",
        "Raval",
        "Tailor",
        "Lakhani",
        "Popat",
        "Ruparelia",
        "Chandarana",
        "Karia",
        "Majithia",
        "Thakkar",
        "Dattani",
        "Kanani",
        "Vekaria",
        "Hirani",
        "Kerai",
        "Pindoria",
        "Varsani",
        "Halai",
        "Gajjar",
        "Parekh",
        "Jadeja",
        "Sodha",
        "Pankhania",
    ],
    male: &[
        "Rajesh", "Sanjay", "Nilesh", "Ketan", "Hitesh", "Amit", "Vijay", "Dinesh", "Pravin",
        "Mahesh", "Suresh", "Ramesh", "Jayesh", "Mukesh", "Bharat", "Kishor", "Dilip", "Ashok",
        "Anil", "Manoj", "Paresh", "Bhavesh", "Kalpesh", "Chirag", "Nikhil", "Rohan", "Arjun",
        "Dev", "Krish", "Aarav", "Jay", "Kiran", "Neil", "Ravi", "Sunil", "Yash", "Harsh",
        "Pratik", "Vivek",
    ],
    female: &[
        "Priya", "Hema", "Nisha", "Bhavna", "Meena", "Anjali", "Asha", "Pooja", "Riya", "Anika",
        "Jyoti", "Kajal", "Komal", "Kavita", "Rekha", "Sonal", "Hetal", "Nilam", "Dipti",
        "Bhavini", "Sapna", "Shital", "Rina", "Manisha", "Hansa", "Jaya", "Kokila", "Usha",
        "Sarla", "Lata", "Mira", "Diya", "Isha", "Avni", "Tara", "Shreya", "Sneha", "Rupal",
    ],
};

/// Punjabi Sikh names. Many Sikh men take Singh and women Kaur as their surname.
const SIKH: Pool = Pool {
    surnames: &[
        "Singh", "Singh", "Singh", "Sandhu", "Gill", "Dhillon", "Sidhu", "Bains", "Johal",
        "Sahota", "Rai", "Virdi", "Bhogal", "Kalsi", "Sehmi", "Matharu", "Dhaliwal", "Grewal",
        "Atwal", "Chahal", "Basra", "Hayer", "Bassi", "Sohal", "Mann",
    ],
    male: &[
        "Gurpreet",
        "Harjit",
        "Jaswinder",
        "Manjit",
        "Sukhdev",
        "Kuldip",
        "Amrik",
        "Baljit",
        "Harvinder",
        "Jagdeep",
        "Parminder",
        "Rajinder",
        "Sukhwinder",
        "Gurdeep",
        "Harpreet",
        "Jasbir",
        "Kulwant",
        "Navdeep",
        "Ranjit",
        "Arjan",
        "Gurveer",
        "Jaskaran",
        "Harman",
    ],
    female: &[
        "Gurpreet",
        "Harjit",
        "Jaswinder",
        "Manjit",
        "Sukhjit",
        "Kulwinder",
        "Balbir",
        "Harpreet",
        "Jasvir",
        "Kamaljit",
        "Narinder",
        "Paramjit",
        "Rajwinder",
        "Simran",
        "Amandeep",
        "Navneet",
        "Jasleen",
        "Harleen",
        "Mandeep",
        "Gurleen",
    ],
};

/// South Asian Muslim names: Pakistani, and Indian (largely Gujarati) Muslim.
const SOUTH_ASIAN_MUSLIM: Pool = Pool {
    surnames: &[
        "Khan", "Hussain", "Ahmed", "Ali", "Shah", "Iqbal", "Akhtar", "Mahmood", "Butt", "Malik",
        "Rashid", "Aziz", "Javed", "Saleem", "Sheikh", "Qureshi", "Mirza", "Anwar", "Riaz",
        "Hanif", "Yousaf", "Bashir", "Nawaz", "Rehman", "Patel", "Mulla", "Bhayat", "Kapadia",
        "Valli", "Lunat", "Dadabhai",
    ],
    male: &[
        "Mohammed", "Muhammad", "Imran", "Asif", "Tariq", "Bilal", "Zain", "Adil", "Amir", "Arif",
        "Faisal", "Hamza", "Haroon", "Irfan", "Kamran", "Nadeem", "Omar", "Rizwan", "Sajid",
        "Shahid", "Usman", "Waqas", "Yasir", "Yusuf", "Zubair", "Ayaan", "Ibrahim", "Ismail",
        "Abdul",
    ],
    female: &[
        "Fatima", "Ayesha", "Saima", "Nadia", "Zara", "Amina", "Aisha", "Bushra", "Farah", "Hina",
        "Khadija", "Mariam", "Nasreen", "Rabia", "Razia", "Sadia", "Samina", "Shazia", "Sobia",
        "Tahira", "Yasmin", "Zainab", "Zahra", "Noor", "Hafsa", "Maryam", "Safiya", "Sumaya",
        "Aaliyah", "Inaya",
    ],
};

/// Bangladeshi names. Many women bear Begum or Khatun instead of a family surname.
const BANGLADESHI: Pool = Pool {
    surnames: &[
        "Miah",
        "Uddin",
        "Rahman",
        "Islam",
        "Ahmed",
        "Hoque",
        "Chowdhury",
        "Ali",
        "Hussain",
        "Hossain",
        "Karim",
        "Alam",
        "Mia",
        "Sarkar",
    ],
    male: &[
        "Abdul", "Shahid", "Jamal", "Mohammed", "Nazrul", "Rafiq", "Shafiq", "Habib", "Anwar",
        "Kamal", "Mizanur", "Shamim", "Tanvir", "Rubel", "Sabbir",
    ],
    female: &[
        "Nasima", "Rehana", "Farhana", "Salma", "Shirin", "Rina", "Ruksana", "Sultana", "Taslima",
        "Jahanara", "Nazma", "Shamima", "Sumaiya", "Tania", "Amina",
    ],
};

const CHINESE: Pool = Pool {
    surnames: &[
        "Wang", "Li", "Zhang", "Chen", "Liu", "Wong", "Chan", "Lee", "Yang", "Huang", "Zhao", "Wu",
        "Zhou", "Xu", "Sun", "Ma", "Lin", "Ng", "Cheung", "Lau", "Ho", "Tang", "Yip", "Leung",
    ],
    male: &[
        "Wei", "Jun", "Ming", "Hao", "Jie", "Lei", "Tao", "Yang", "Kai", "David", "Michael",
        "Kevin", "Jason",
    ],
    female: &[
        "Mei", "Ling", "Xin", "Yan", "Hui", "Jing", "Ying", "Xiao", "Fang", "Grace", "Jenny",
        "Amy", "Helen",
    ],
};

/// Other Asian: Sri Lankan, Filipino, Nepali, Afghan, Vietnamese.
const OTHER_ASIAN: Pool = Pool {
    surnames: &[
        "Sivakumar",
        "Perera",
        "Fernando",
        "Silva",
        "Rajan",
        "Kumar",
        "Santos",
        "Reyes",
        "Cruz",
        "Gurung",
        "Rai",
        "Tamang",
        "Thapa",
        "Limbu",
        "Ahmadi",
        "Rahimi",
        "Hakimi",
        "Nguyen",
        "Tran",
    ],
    male: &[
        "Suresh", "Arun", "Kumar", "Rajan", "Jose", "Mark", "Ram", "Bikash", "Sandeep", "Ahmad",
        "Farid", "Minh", "Roshan",
    ],
    female: &[
        "Lakshmi", "Nirmala", "Maria", "Rosa", "Grace", "Sita", "Gita", "Sunita", "Parwin", "Lan",
        "Anjali", "Kamala",
    ],
};

/// African names: Somali (a large community in Leicester), West and Southern African.
const AFRICAN: Pool = Pool {
    surnames: &[
        "Mohamed", "Abdi", "Hassan", "Ali", "Osman", "Ahmed", "Farah", "Warsame", "Hussein",
        "Yusuf", "Omar", "Ibrahim", "Jama", "Nur", "Aden", "Okafor", "Adeyemi", "Okeke", "Adebayo",
        "Eze", "Nwosu", "Mensah", "Boateng", "Owusu", "Asante", "Osei", "Moyo", "Ncube", "Dube",
        "Sibanda", "Banda", "Phiri", "Mwangi", "Kamau",
    ],
    male: &[
        "Abdirahman",
        "Abdullahi",
        "Ahmed",
        "Mohamed",
        "Hassan",
        "Hussein",
        "Ibrahim",
        "Yusuf",
        "Omar",
        "Abdi",
        "Mahad",
        "Liban",
        "Chinedu",
        "Oluwaseun",
        "Emeka",
        "Tunde",
        "Femi",
        "Kwame",
        "Kofi",
        "Tendai",
        "Tatenda",
        "Farai",
        "Samuel",
        "Emmanuel",
        "Joseph",
    ],
    female: &[
        "Hodan", "Fadumo", "Amina", "Asha", "Halima", "Hawa", "Ifrah", "Khadra", "Sahra", "Sagal",
        "Ubah", "Nimo", "Blessing", "Grace", "Chiamaka", "Ngozi", "Funmi", "Yetunde", "Abena",
        "Akosua", "Rutendo", "Chipo", "Nyasha", "Precious", "Faith", "Mercy",
    ],
};

const CARIBBEAN: Pool = Pool {
    surnames: &[
        "Campbell", "Brown", "Williams", "Thomas", "Francis", "Henry", "Clarke", "Grant",
        "Johnson", "Smith", "Edwards", "Reid", "Morgan", "Stewart", "Robinson", "Lewis", "Bailey",
        "Walker", "Gordon", "Douglas", "Baptiste", "Charles", "Joseph", "Samuels", "Forbes",
        "McKenzie", "Gayle", "Thompson", "Graham", "Hinds",
    ],
    male: &[
        "Marcus", "Dwayne", "Leroy", "Tyrone", "Delroy", "Winston", "Errol", "Clive", "Trevor",
        "Jermaine", "Andre", "Nathan", "Jordan", "Kyle", "Tyrell", "Daniel", "Michael",
    ],
    female: &[
        "Shanice",
        "Jade",
        "Marcia",
        "Paulette",
        "Beverley",
        "Sonia",
        "Donna",
        "Jasmine",
        "Keisha",
        "Tanya",
        "Chantelle",
        "Natasha",
        "Simone",
        "Michelle",
        "Leah",
    ],
};

const ARAB: Pool = Pool {
    surnames: &[
        "Hassan", "Ibrahim", "Saleh", "Abdullah", "Mahmoud", "Mustafa", "Haddad", "Khalil",
        "Nasser", "Yousef", "Al-Ali", "Al-Sayed", "Mansour", "Hamdan", "Saeed", "Farouk",
    ],
    male: &[
        "Omar", "Yusuf", "Ahmed", "Mohammed", "Khaled", "Ali", "Hassan", "Karim", "Tariq", "Samir",
        "Mahmoud", "Adam",
    ],
    female: &[
        "Layla", "Mariam", "Fatima", "Noor", "Sara", "Huda", "Rania", "Dina", "Yasmin", "Amira",
        "Hana", "Lina",
    ],
};

const OTHER: Pool = Pool {
    surnames: &[
        "Ahmadi",
        "Karimi",
        "Hosseini",
        "Rezaei",
        "Mohammadi",
        "Rahimi",
        "Abdullah",
        "Aziz",
        "Rodriguez",
        "Gonzalez",
        "Hernandez",
        "Nguyen",
        "Tran",
        "Yilmaz",
        "Kaya",
    ],
    male: &[
        "Ali", "Reza", "Hamid", "Dara", "Carlos", "Mehmet", "Emre", "Kaveh", "Luis", "Hoang",
    ],
    female: &[
        "Shirin", "Leila", "Parisa", "Maria", "Elif", "Zeynep", "Ana", "Mina", "Thuy",
    ],
};

/// The name traditions a household's names are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tradition {
    British,
    Irish,
    Traveller,
    EasternEuropean,
    SouthernEuropean,
    Gujarati,
    Sikh,
    SouthAsianMuslim,
    Bangladeshi,
    Chinese,
    OtherAsian,
    African,
    Caribbean,
    Arab,
    Other,
}

impl Tradition {
    fn pool(self) -> Option<&'static Pool> {
        Some(match self {
            Tradition::British => return None,
            Tradition::Irish => &IRISH,
            Tradition::Traveller => &TRAVELLER,
            Tradition::EasternEuropean => &EASTERN_EUROPEAN,
            Tradition::SouthernEuropean => &SOUTHERN_EUROPEAN,
            Tradition::Gujarati => &GUJARATI,
            Tradition::Sikh => &SIKH,
            Tradition::SouthAsianMuslim => &SOUTH_ASIAN_MUSLIM,
            Tradition::Bangladeshi => &BANGLADESHI,
            Tradition::Chinese => &CHINESE,
            Tradition::OtherAsian => &OTHER_ASIAN,
            Tradition::African => &AFRICAN,
            Tradition::Caribbean => &CARIBBEAN,
            Tradition::Arab => &ARAB,
            Tradition::Other => &OTHER,
        })
    }

    /// The tradition a household of this ethnicity names its members in. Leicester's
    /// Indian community is mostly Gujarati Hindu, with Sikh and Muslim minorities; "other
    /// White" is mostly Eastern European since 2004; mixed households draw on both sides.
    pub fn for_ethnicity<R: Rng>(e: Ethnicity, rng: &mut R) -> Tradition {
        use Ethnicity as E;
        let u: f64 = rng.random();
        match e {
            E::W1 | E::NotStated => Tradition::British,
            E::W2 => Tradition::Irish,
            E::W3 => Tradition::Traveller,
            E::W9 if u < 0.6 => Tradition::EasternEuropean,
            E::W9 if u < 0.85 => Tradition::SouthernEuropean,
            E::W9 => Tradition::British,
            E::M1 | E::M2 | E::M3 | E::M9 if u < 0.6 => Tradition::British,
            E::M1 => Tradition::Caribbean,
            E::M2 => Tradition::African,
            E::M3 if u < 0.8 => Tradition::Gujarati,
            E::M3 => Tradition::SouthAsianMuslim,
            E::M9 => Tradition::Other,
            E::A1 if u < 0.62 => Tradition::Gujarati,
            E::A1 if u < 0.85 => Tradition::Sikh,
            E::A1 => Tradition::SouthAsianMuslim,
            E::A2 => Tradition::SouthAsianMuslim,
            E::A3 => Tradition::Bangladeshi,
            E::A4 => Tradition::Chinese,
            E::A9 => Tradition::OtherAsian,
            E::B1 | E::B9 => Tradition::African,
            E::B2 if u < 0.7 => Tradition::Caribbean,
            E::B2 => Tradition::British,
            E::O1 => Tradition::Arab,
            E::O9 => Tradition::Other,
        }
    }
}

/// Picks from a list with Zipf weights: the k-th item (from 0) about 1/(k+2) as likely.
fn zipf<'a, R: Rng>(items: &'a [&'a str], rng: &mut R) -> &'a str {
    let total: f64 = (0..items.len()).map(|k| 1.0 / (k as f64 + 2.0)).sum();
    let mut x = rng.random::<f64>() * total;
    for (k, item) in items.iter().enumerate() {
        x -= 1.0 / (k as f64 + 2.0);
        if x <= 0.0 {
            return item;
        }
    }
    items.last().copied().unwrap_or("Smith")
}

/// A household's family surname.
pub fn surname<R: Rng>(t: Tradition, rng: &mut R) -> String {
    match t.pool() {
        Some(p) => zipf(p.surnames, rng).to_string(),
        None => {
            // The listed frequencies are per thousand people; everyone else has a tail name.
            let total: f64 = BRITISH_SURNAMES.iter().map(|(_, w)| w).sum();
            if rng.random::<f64>() >= total / 1000.0 {
                let head = TAIL_HEADS.choose(rng).copied().unwrap_or("Ash");
                let tail = TAIL_TAILS.choose(rng).copied().unwrap_or("worth");
                return format!("{head}{tail}");
            }
            let mut x = rng.random::<f64>() * total;
            for (name, w) in BRITISH_SURNAMES {
                x -= w;
                if x <= 0.0 {
                    return (*name).to_string();
                }
            }
            "Smith".to_string()
        }
    }
}

/// The surname a woman bears of a family surname, in traditions that mark it: Polish
/// `-ski` becomes `-ska`, Bulgarian `-ov` becomes `-ova`, Lithuanian `-as` becomes
/// `-ienė`; Sikh women are often recorded as Kaur, Bangladeshi women as Begum or Khatun.
pub fn feminine<R: Rng>(t: Tradition, family: &str, rng: &mut R) -> String {
    match t {
        Tradition::EasternEuropean => {
            for (m, f) in [
                ("ski", "ska"),
                ("cki", "cka"),
                ("ov", "ova"),
                ("ev", "eva"),
                ("as", "ienė"),
            ] {
                if let Some(stem) = family.strip_suffix(m) {
                    return format!("{stem}{f}");
                }
            }
            family.to_string()
        }
        Tradition::Sikh if family == "Singh" || rng.random::<f64>() < 0.3 => "Kaur".to_string(),
        Tradition::Bangladeshi if rng.random::<f64>() < 0.5 => if rng.random::<f64>() < 0.7 {
            "Begum"
        } else {
            "Khatun"
        }
        .to_string(),
        _ => family.to_string(),
    }
}

/// A man's surname in traditions where men may be recorded by a religious name: Sikh men
/// are often recorded as Singh.
pub fn masculine<R: Rng>(t: Tradition, family: &str, rng: &mut R) -> String {
    match t {
        Tradition::Sikh if rng.random::<f64>() < 0.3 => "Singh".to_string(),
        _ => family.to_string(),
    }
}

/// Forenames for someone of this sex born in `birth_year`: a first name and, for about a
/// third of people, a middle name.
pub fn forenames<R: Rng>(t: Tradition, sex: Sex, birth_year: i32, rng: &mut R) -> String {
    let list: &[&str] = match (t.pool(), sex) {
        (Some(p), Sex::Female) => p.female,
        (Some(p), _) => p.male,
        (None, s) => {
            let era = match birth_year {
                ..1960 => 0,
                1960..1980 => 1,
                1980..2000 => 2,
                _ => 3,
            };
            let lists = if s == Sex::Female {
                &BRITISH_FEMALE
            } else {
                &BRITISH_MALE
            };
            lists.get(era).copied().unwrap_or(BRITISH_MALE[0])
        }
    };
    let first = zipf(list, rng);
    if rng.random::<f64>() < 0.33 {
        let middle = zipf(list, rng);
        if middle != first {
            return format!("{first} {middle}");
        }
    }
    first.to_string()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn smith_is_about_one_and_a_bit_percent_of_british_surnames() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 200_000;
        let smiths = (0..n)
            .filter(|_| surname(Tradition::British, &mut rng) == "Smith")
            .count();
        let share = smiths as f64 / n as f64;
        assert!((0.008..0.02).contains(&share), "{share}");
    }

    #[test]
    fn women_bear_the_feminine_forms() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(
            feminine(Tradition::EasternEuropean, "Kowalski", &mut rng),
            "Kowalska"
        );
        assert_eq!(
            feminine(Tradition::EasternEuropean, "Ivanov", &mut rng),
            "Ivanova"
        );
        assert_eq!(feminine(Tradition::Sikh, "Singh", &mut rng), "Kaur");
        assert_eq!(feminine(Tradition::British, "Smith", &mut rng), "Smith");
    }
}
