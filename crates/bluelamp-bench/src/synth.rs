//! The synthetic population: a deterministic, realistic mix of British names, dates of birth
//! and aliases, generated person by person from a seed and an index, so that any person can be
//! regenerated (to pick a search target) without reading the database.
//!
//! Frequencies follow the shape of the real distributions: a few hundred common surnames with
//! Zipf-like weights (Smith about 1.4% of people, close to the 1.3% of England and Wales),
//! then a long tail of place-name surnames (Ashworth, Bramley) carrying two thirds of the
//! population; forenames by sex, the commonest about 5% of its sex. Some people have a middle
//! name, an accented or double-barrelled name, a partial date of birth, an alias or a marker.

use bluelamp_domain::person::{MarkerInput, NameInput, PersonInput};
use uuid::Uuid;

/// A small, fast, deterministic generator (SplitMix64, Steele, Lea and Flood 2014): the
/// benchmark's data must not change when a dependency's generator does.
#[derive(Debug, Clone)]
pub struct Rng(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator for one purpose (`stream`) and one item (`index`) of a seeded run.
    pub fn for_item(seed: u64, stream: u64, index: u64) -> Rng {
        Rng(mix(seed
            ^ mix(stream.wrapping_add(0x9e37_79b9_7f4a_7c15))
            ^ mix(index)))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// A uniform number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A uniform number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A list of names with cumulative weights, for drawing by frequency.
#[derive(Debug)]
struct Weighted {
    items: Vec<String>,
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(items: Vec<(String, f64)>) -> Weighted {
        let mut total = 0.0;
        let mut names = Vec::with_capacity(items.len());
        let mut cumulative = Vec::with_capacity(items.len());
        for (name, w) in items {
            total += w;
            names.push(name);
            cumulative.push(total);
        }
        Weighted {
            items: names,
            cumulative,
        }
    }

    fn draw(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|c| *c <= x);
        self.items
            .get(i.min(self.items.len().saturating_sub(1)))
            .map_or("Smith", String::as_str)
    }
}

/// Common surnames of England and Wales, roughly in order of frequency, with some of the
/// commonest of Scottish, Irish, South Asian, Polish, West African and East Asian origin.
const SURNAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "Graham",
    "Pearson",
    "Ahmed",
    "Fletcher",
    "Walsh",
    "Kaur",
    "Gibson",
    "Howard",
    "Andrews",
    "Stewart",
    "Elliott",
    "Reynolds",
    "Saunders",
    "Payne",
    "Fox",
    "Ford",
    "Pearce",
    "Day",
    "Brooks",
    "West",
    "Lawrence",
    "Cole",
    "Atkinson",
    "Bradley",
    "Spencer",
    "Gill",
    "Dawson",
    "Ball",
    "Burton",
    "O'Brien",
    "Watts",
    "Rose",
    "Booth",
    "Perry",
    "Ryan",
    "Grant",
    "Wells",
    "Armstrong",
    "Francis",
    "Rees",
    "Hayes",
    "Hart",
    "Hudson",
    "Newman",
    "Barrett",
    "Webster",
    "Hunter",
    "Gregory",
    "Carr",
    "Lowe",
    "Page",
    "Marsh",
    "Riley",
    "Dunn",
    "Woods",
    "Parsons",
    "Berry",
    "Stone",
    "Reid",
    "Holland",
    "Hawkins",
    "Harding",
    "Porter",
    "Robertson",
    "Newton",
    "Oliver",
    "Reed",
    "Kennedy",
    "Williamson",
    "Bird",
    "Gardner",
    "Shah",
    "Dean",
    "Lane",
    "Cooke",
    "Bates",
    "Henderson",
    "Parry",
    "Burgess",
    "Bishop",
    "Walton",
    "Burns",
    "Nicholson",
    "Shepherd",
    "Ross",
    "Cross",
    "Long",
    "Freeman",
    "Warren",
    "Nicholls",
    "Hamilton",
    "Byrne",
    "Sutton",
    "McDonald",
    "Yates",
    "Hodgson",
    "Robson",
    "Curtis",
    "Hopkins",
    "O'Connor",
    "Harper",
    "Coleman",
    "Watkins",
    "Moss",
    "McCarthy",
    "Chambers",
    "O'Neill",
    "Griffin",
    "Sharp",
    "Hardy",
    "Wheeler",
    "Potter",
    "Osborne",
    "Johnston",
    "Gordon",
    "Doyle",
    "Wallace",
    "George",
    "Jordan",
    "Hutchinson",
    "Rowe",
    "Burke",
    "May",
    "Pritchard",
    "Gilbert",
    "Willis",
    "Higgins",
    "Read",
    "Miles",
    "Stevenson",
    "Stephenson",
    "Hammond",
    "Arnold",
    "Buckley",
    "Walters",
    "Hewitt",
    "Barber",
    "Nelson",
    "Slater",
    "Austin",
    "Sullivan",
    "Whitehead",
    "Mann",
    "Frost",
    "Lambert",
    "Stephens",
    "Blake",
    "Akhtar",
    "Lynch",
    "Goodwin",
    "Barton",
    "Woodward",
    "Thomson",
    "Cunningham",
    "Quinn",
    "Barnett",
    "Baxter",
    "Bibi",
    "Clayton",
    "Nash",
    "Greenwood",
    "Jennings",
    "Holt",
    "Kemp",
    "Poole",
    "Gallagher",
    "Bond",
    "Stokes",
    "Tucker",
    "Davidson",
    "Fowler",
    "Heath",
    "Norman",
    "Middleton",
    "Lawson",
    "Banks",
    "French",
    "Stanley",
    "Jarvis",
    "Gibbs",
    "Ferguson",
    "Hayward",
    "Carroll",
    "Douglas",
    "Dickinson",
    "Todd",
    "Barlow",
    "Peters",
    "Lucas",
    "Knowles",
    "Hartley",
    "Miah",
    "Simmons",
    "Morton",
    "Alexander",
    "Field",
    "Morrison",
    "Norris",
    "Townsend",
    "Preston",
    "Hancock",
    "Thornton",
    "Baldwin",
    "Burrows",
    "Briggs",
    "Storey",
    "Pugh",
    "Cartwright",
    "Moran",
    "Kowalski",
    "Nowak",
    "Wiśniewski",
    "Lewandowski",
    "Kaczmarek",
    "Nguyen",
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Okonkwo",
    "Osei",
    "Da Silva",
    "De Souza",
    "D'Souza",
    "Fernandes",
    "Gonçalves",
    "Müller",
    "O'Sullivan",
    "MacLeod",
    "McKenzie",
    "Fitzgerald",
    "Van der Berg",
    "St John",
    "Mohammed",
    "Rahman",
    "Islam",
    "Iqbal",
    "Mahmood",
    "Sharma",
    "Kumar",
    "Chauhan",
    "Mistry",
    "Choudhury",
    "Kaya",
    "Yılmaz",
    "Popescu",
    "Ionescu",
    "Kovács",
    "Novák",
    "Petrov",
    "Santos",
    "Pereira",
    "Rossi",
    "García",
    "Martínez",
];

/// First elements of English place-name surnames.
const TAIL_FIRST: &[&str] = &[
    "Ash", "Brad", "Bram", "Brook", "Chad", "Chester", "Dar", "Ead", "Fair", "Farn", "Green",
    "Had", "Hal", "Hart", "Hay", "Hol", "Horn", "Kirk", "Lang", "Mar", "Mid", "Nor", "Ock", "Pen",
    "Ray", "Rock", "Rom", "Sal", "Shel", "Stan", "Sut", "Thorn", "Up", "Wal", "Wes", "Whit", "Win",
    "Wor", "Yar", "Ald", "Bar", "Bur", "Cal", "Cran", "Dun", "Elm", "Fen", "Gold", "Grim", "Hamp",
    "Ing", "Kent", "Lid", "Mal", "New", "Oak", "Pick", "Rad", "Sand", "Tad", "Wake", "Black",
    "Brig", "Crow", "Dray", "Ever", "Fox", "Glad", "Hather", "Kings", "Lock", "Mor", "Pad",
    "Rother", "Shap", "Stock", "Tam", "Wether", "Blen", "Cob", "Dal", "Eg", "Ful", "Hen", "Kel",
    "Lon", "Mel", "Nut", "Pot", "Rush", "Tod", "Wick",
];

/// Second elements of English place-name surnames.
const TAIL_SECOND: &[&str] = &[
    "ton", "ley", "worth", "field", "ham", "by", "wood", "well", "ford", "son", "more", "combe",
    "shaw", "hurst", "stone", "bridge", "dale", "croft", "wick", "thorpe", "land", "man", "er",
    "ridge", "bury", "cott", "hill", "ington", "stead", "brook", "den", "gate", "low", "wright",
    "holme", "sley", "ing", "mere", "church", "well",
];

/// Men's forenames across the generations now alive, commonest first.
const MALE: &[&str] = &[
    "David",
    "John",
    "Paul",
    "Michael",
    "James",
    "Mark",
    "Andrew",
    "Peter",
    "Robert",
    "Richard",
    "Stephen",
    "Christopher",
    "Daniel",
    "Thomas",
    "Matthew",
    "William",
    "Anthony",
    "Ian",
    "Steven",
    "Gary",
    "Kevin",
    "Simon",
    "Alan",
    "Jonathan",
    "Martin",
    "Lee",
    "Darren",
    "Brian",
    "Neil",
    "Jason",
    "Craig",
    "Adam",
    "Stuart",
    "Philip",
    "Graham",
    "Colin",
    "Keith",
    "Jack",
    "Benjamin",
    "Joseph",
    "Samuel",
    "Ryan",
    "Jamie",
    "Liam",
    "Nicholas",
    "Scott",
    "Shaun",
    "Oliver",
    "Harry",
    "George",
    "Charlie",
    "Alexander",
    "Luke",
    "Joshua",
    "Callum",
    "Dean",
    "Wayne",
    "Carl",
    "Gareth",
    "Ross",
    "Edward",
    "Kenneth",
    "Dennis",
    "Raymond",
    "Terence",
    "Barry",
    "Roger",
    "Trevor",
    "Derek",
    "Geoffrey",
    "Malcolm",
    "Nigel",
    "Russell",
    "Tony",
    "Jordan",
    "Connor",
    "Kieran",
    "Nathan",
    "Aaron",
    "Lewis",
    "Dylan",
    "Tyler",
    "Mohammed",
    "Muhammad",
    "Ali",
    "Imran",
    "Hassan",
    "Arjun",
    "Rajesh",
    "Sanjay",
    "Amit",
    "Piotr",
    "Tomasz",
    "Krzysztof",
    "Łukasz",
    "Marek",
    "Kwame",
    "Chinedu",
    "Oluwaseun",
    "Wei",
    "Sean",
    "Patrick",
    "Declan",
    "Ciaran",
    "Eamon",
    "Hamish",
    "Angus",
    "Rhys",
    "Dafydd",
    "Gethin",
    "Owain",
    "Noah",
    "Leo",
    "Oscar",
    "Archie",
    "Alfie",
    "Freddie",
    "Theo",
    "Henry",
    "Frederick",
    "Albert",
    "Arthur",
    "Leonard",
    "Stanley",
    "Ernest",
    "Harold",
    "Frank",
    "Douglas",
    "Gordon",
    "Lawrence",
    "Francis",
    "Vincent",
    "Jeremy",
    "Timothy",
    "Gregory",
    "Jose",
    "Noel",
    "Rory",
    "Finley",
    "Reece",
    "Bradley",
    "Ashley",
    "Jake",
    "Max",
    "Toby",
];

/// Women's forenames across the generations now alive, commonest first.
const FEMALE: &[&str] = &[
    "Sarah",
    "Claire",
    "Emma",
    "Lisa",
    "Nicola",
    "Helen",
    "Karen",
    "Susan",
    "Julie",
    "Elizabeth",
    "Rachel",
    "Louise",
    "Michelle",
    "Joanne",
    "Amanda",
    "Rebecca",
    "Laura",
    "Jennifer",
    "Victoria",
    "Kelly",
    "Katherine",
    "Catherine",
    "Jessica",
    "Charlotte",
    "Hannah",
    "Sophie",
    "Emily",
    "Amy",
    "Lucy",
    "Chloe",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Grace",
    "Ella",
    "Lily",
    "Jane",
    "Margaret",
    "Patricia",
    "Linda",
    "Deborah",
    "Tracey",
    "Dawn",
    "Joanna",
    "Alison",
    "Angela",
    "Christine",
    "Janet",
    "Carol",
    "Gillian",
    "Jacqueline",
    "Wendy",
    "Mary",
    "Ann",
    "Anne",
    "Barbara",
    "Dorothy",
    "Joan",
    "Jean",
    "Sandra",
    "Pauline",
    "Sharon",
    "Tina",
    "Diane",
    "Samantha",
    "Natalie",
    "Danielle",
    "Stephanie",
    "Kirsty",
    "Gemma",
    "Jade",
    "Stacey",
    "Leanne",
    "Kayleigh",
    "Megan",
    "Holly",
    "Georgia",
    "Abigail",
    "Zoe",
    "Fatima",
    "Aisha",
    "Ayesha",
    "Priya",
    "Sunita",
    "Anjali",
    "Agnieszka",
    "Katarzyna",
    "Magdalena",
    "Joanna",
    "Chiamaka",
    "Ngozi",
    "Abena",
    "Mei",
    "Siobhan",
    "Niamh",
    "Aoife",
    "Sinead",
    "Sian",
    "Bethan",
    "Cerys",
    "Rhiannon",
    "Fiona",
    "Morag",
    "Kirsteen",
    "Freya",
    "Poppy",
    "Evie",
    "Florence",
    "Matilda",
    "Alice",
    "Rosie",
    "Phoebe",
    "Isabella",
    "Isabel",
    "Eleanor",
    "Frances",
    "Caroline",
    "Teresa",
    "Valerie",
    "Shirley",
    "Maureen",
    "Brenda",
    "Irene",
    "Doris",
    "Edith",
    "Violet",
    "Renee",
    "Lesley",
    "Debbie",
    "Kim",
    "Vicky",
    "Jodie",
    "Kerry",
    "Sally",
    "Harriet",
    "Penelope",
    "Alexandra",
];

/// Forenames written with an accent about half the time.
const ACCENTED: &[(&str, &str)] = &[
    ("Zoe", "Zoë"),
    ("Chloe", "Chloë"),
    ("Sian", "Siân"),
    ("Sean", "Seán"),
    ("Renee", "Renée"),
    ("Jose", "José"),
    ("Noel", "Noël"),
    ("Eamon", "Éamon"),
];

/// Warning marker kinds, for the few people who have one.
const MARKERS: &[&str] = &["violent", "weapons", "drugs", "self_harm", "mental_health"];

/// Ethnicity codes other than W1, drawn uniformly.
const ETHNICITIES: &[&str] = &[
    "W2", "W3", "W9", "M1", "M2", "M3", "M9", "A1", "A2", "A3", "A4", "A9", "B1", "B2", "B9", "O1",
    "O9", "NS",
];

/// The first ID's timestamp: 2026-01-01T00:00:00Z, in milliseconds.
const BASE_MILLIS: u64 = 1_767_225_600_000;

/// Streams: independent random sequences per purpose.
const STREAM_PERSON: u64 = 1;

/// One synthetic person: their ID and what would be typed to record them.
#[derive(Debug, Clone)]
pub struct SynthPerson {
    pub id: Uuid,
    pub input: PersonInput,
}

/// The generator: name tables built once, persons drawn by index.
#[derive(Debug)]
pub struct Population {
    seed: u64,
    surnames: Weighted,
    male: Weighted,
    female: Weighted,
}

fn zipf(
    names: impl IntoIterator<Item = String>,
    offset: f64,
    exponent: f64,
    share: f64,
) -> Vec<(String, f64)> {
    let names: Vec<String> = names.into_iter().collect();
    let raw: Vec<f64> = (0..names.len())
        .map(|i| (i as f64 + offset).powf(-exponent))
        .collect();
    let total: f64 = raw.iter().sum();
    names
        .into_iter()
        .zip(raw)
        .map(|(n, w)| (n, share * w / total))
        .collect()
}

/// The long tail of surnames: every first element with every second, shuffled
/// deterministically so that the Zipf weights do not follow the alphabet.
fn tail_surnames(seed: u64) -> Vec<String> {
    let mut out = Vec::with_capacity(TAIL_FIRST.len() * TAIL_SECOND.len());
    for a in TAIL_FIRST {
        for b in TAIL_SECOND {
            let name = format!("{a}{b}");
            if !out.contains(&name) && !SURNAMES.contains(&name.as_str()) {
                out.push(name);
            }
        }
    }
    let mut rng = Rng::for_item(seed, 99, 0);
    for i in (1..out.len()).rev() {
        let j = rng.below(i + 1);
        out.swap(i, j);
    }
    out
}

impl Population {
    /// The population for a seed.
    pub fn new(seed: u64) -> Population {
        let mut surnames = zipf(SURNAMES.iter().map(|s| s.to_string()), 2.0, 0.7, 0.35);
        surnames.extend(zipf(tail_surnames(seed), 10.0, 0.5, 0.65));
        Population {
            seed,
            surnames: Weighted::new(surnames),
            male: Weighted::new(zipf(MALE.iter().map(|s| s.to_string()), 3.0, 0.8, 1.0)),
            female: Weighted::new(zipf(FEMALE.iter().map(|s| s.to_string()), 3.0, 0.8, 1.0)),
        }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The deterministic ID of person `index`: a UUIDv7 (time-ordered, as the application
    /// generates them), one millisecond apart.
    pub fn id(&self, index: u64) -> Uuid {
        let mut rng = Rng::for_item(self.seed, STREAM_PERSON + 1000, index);
        let mut bytes = [0u8; 10];
        for chunk in bytes.chunks_mut(8) {
            let r = rng.next_u64().to_le_bytes();
            chunk.copy_from_slice(&r[..chunk.len()]);
        }
        uuid::Builder::from_unix_timestamp_millis(BASE_MILLIS + index, &bytes).into_uuid()
    }

    fn surname(&self, rng: &mut Rng) -> String {
        if rng.chance(0.02) {
            // Double-barrelled.
            let a = self.surnames.draw(rng).to_string();
            let b = self.surnames.draw(rng);
            if a != b && !a.contains(' ') && !b.contains(' ') {
                return format!("{a}-{b}");
            }
            return a;
        }
        self.surnames.draw(rng).to_string()
    }

    fn forename(&self, rng: &mut Rng, male: bool) -> String {
        let name = if male {
            self.male.draw(rng)
        } else {
            self.female.draw(rng)
        };
        match ACCENTED.iter().find(|(plain, _)| *plain == name) {
            Some((_, accented)) if rng.chance(0.5) => accented.to_string(),
            _ => name.to_string(),
        }
    }

    /// Person number `index`.
    pub fn person(&self, index: u64) -> SynthPerson {
        let mut rng = Rng::for_item(self.seed, STREAM_PERSON, index);
        let male = rng.chance(0.52);
        let mut forenames = self.forename(&mut rng, male);
        if rng.chance(0.45) {
            let middle = self.forename(&mut rng, male);
            if middle != forenames {
                forenames = format!("{forenames} {middle}");
            }
        }
        let surname = self.surname(&mut rng);
        // Birth years 1935 to 2010, peaking around 1972 (triangular).
        let year = 1935 + ((rng.unit() + rng.unit()) / 2.0 * 76.0) as i32;
        let month = 1 + rng.below(12) as u32;
        let day = 1 + rng.below(28) as u32;
        let precision = rng.unit();
        let date_of_birth = if precision < 0.03 {
            None
        } else if precision < 0.04 {
            Some(format!("{year}"))
        } else if precision < 0.06 {
            Some(format!("{year}-{month:02}"))
        } else {
            Some(format!("{year}-{month:02}-{day:02}"))
        };
        let mut aliases = Vec::new();
        if rng.chance(0.10) {
            let first = forenames.split(' ').next().unwrap_or("").to_string();
            let kind = rng.unit();
            let nick = nickname_of(&first, &mut rng);
            if kind < 0.4 && nick.is_some() {
                aliases.push(NameInput {
                    forenames: nick.unwrap_or_default(),
                    surname: surname.clone(),
                });
            } else if kind < 0.7 {
                aliases.push(NameInput {
                    forenames: first,
                    surname: self.surname(&mut rng),
                });
            } else {
                aliases.push(NameInput {
                    forenames: self.forename(&mut rng, male),
                    surname: self.surname(&mut rng),
                });
            }
        }
        let mut warning_markers = Vec::new();
        if rng.chance(0.03) {
            warning_markers.push(MarkerInput {
                kind: rng.pick(MARKERS).to_string(),
                from: format!(
                    "{}-{:02}-{:02}",
                    2015 + rng.below(10),
                    1 + rng.below(12),
                    1 + rng.below(28)
                ),
                until: None,
                note: Some("Synthetic marker".into()),
            });
        }
        let e = rng.unit();
        let ethnicity = if e < 0.7 {
            Some("W1".to_string())
        } else if e < 0.9 {
            Some(rng.pick(ETHNICITIES).to_string())
        } else {
            None
        };
        SynthPerson {
            id: self.id(index),
            input: PersonInput {
                forenames,
                surname,
                aliases,
                date_of_birth,
                date_of_birth_approximate: rng.chance(0.02),
                sex: Some(if male { "male" } else { "female" }.into()),
                ethnicity,
                warning_markers,
            },
        }
    }
}

/// A nickname for a formal forename, from the domain's nickname table, capitalised.
pub fn nickname_of(forename: &str, rng: &mut Rng) -> Option<String> {
    let lower = forename.to_lowercase();
    let nicks: Vec<&str> = bluelamp_domain::nominal::nicknames::NICKNAMES
        .iter()
        .filter(|(_, formal)| *formal == lower)
        .map(|(nick, _)| *nick)
        .collect();
    if nicks.is_empty() {
        return None;
    }
    let nick = nicks[rng.below(nicks.len())];
    Some(capitalise(nick))
}

/// The first letter upper-case, the rest as given.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persons_are_deterministic_and_valid() {
        let p = Population::new(7);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
        for i in 0..2000 {
            let a = p.person(i);
            let b = p.person(i);
            assert_eq!(a.id, b.id);
            assert_eq!(a.input.forenames, b.input.forenames);
            let parsed = bluelamp_domain::person::Person::parse(&a.input, today);
            assert!(parsed.is_ok(), "{:?}: {:?}", a.input, parsed.err());
        }
        assert!(p.id(1) > p.id(0), "IDs are time-ordered");
    }

    #[test]
    fn the_commonest_surname_is_about_one_in_seventy() {
        let p = Population::new(7);
        let n = 50_000;
        let smiths = (0..n)
            .filter(|i| p.person(*i).input.surname == "Smith")
            .count();
        let share = smiths as f64 / n as f64;
        assert!((0.008..0.02).contains(&share), "{share}");
    }
}
