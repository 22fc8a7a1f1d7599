import { Random } from './random';

/** The vocabulary of the generated lead files: countries as CSV exports write them, with their phones and names. */

export interface CountrySpec {
  /** How CSV exports write the country: names, ISO codes, local names, sloppy case. */
  names: string[];
  weight: number;
  linkedinHost: string;
  tld: string;
  freeMail: string[];
  places: Array<[city: string, state: string]>;
  timezones: string[];
  companySuffixes: string[];
  firstNames: string[];
  lastNames: string[];
  phone: (random: Random) => string;
}

const digits = (random: Random, count: number): string => {
  let text = '';
  for (let i = 0; i < count; i++) text += String(random.int(0, 9));
  return text;
};

/** North American numbers: area code and exchange never start with 0 or 1. */
function northAmericanPhone(areaCodes: string[]): (random: Random) => string {
  return (random) => {
    const area = random.pick(areaCodes);
    const exchange = `${random.int(2, 9)}${digits(random, 2)}`;
    const line = digits(random, 4);
    return random.pick([
      `(${area}) ${exchange}-${line}`,
      `${area}-${exchange}-${line}`,
      `+1 ${area} ${exchange} ${line}`,
      `${area}.${exchange}.${line}`,
      `1-${area}-${exchange}-${line}`,
      `+1${area}${exchange}${line}`,
      `${area}${exchange}${line}`,
      `+1 (${area}) ${exchange}-${line} ext. ${digits(random, 3)}`,
      `tel:+1-${area}-${exchange}-${line}`,
      `Mobile: ${area} ${exchange} ${line}`,
    ]);
  };
}

export const COUNTRIES: CountrySpec[] = [
  {
    names: ['United States', 'USA', 'US', 'U.S.', 'united states', 'United States of America', 'America'],
    weight: 30,
    linkedinHost: 'www',
    tld: 'com',
    freeMail: ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com'],
    places: [
      ['New York', 'NY'],
      ['San Francisco', 'CA'],
      ['Austin', 'Texas'],
      ['Chicago', 'IL'],
      ['Boston', 'Massachusetts'],
      ['Seattle', 'WA'],
      ['Miami', 'FL'],
      ['Denver', 'CO'],
    ],
    timezones: ['America/New_York', 'America/Los_Angeles', 'America/Chicago', 'EST', 'PST', 'UTC-5', 'GMT-8'],
    companySuffixes: ['Inc.', ', Inc.', 'LLC', 'Corp.', 'Corporation', 'Co.'],
    firstNames: ['John', 'Emily', 'Michael', 'Sarah', 'David', 'Jessica', 'Chris', 'Ashley', 'Zoë', 'Renée', 'Chloë'],
    lastNames: ['Smith', 'Johnson', "O'Brien", 'Williams', 'Brown', 'McDonald', 'Smith-Jones', 'Nguyễn', 'Davis'],
    phone: northAmericanPhone(['212', '415', '646', '312', '617', '206', '512', '303', '404', '305', '213', '702']),
  },
  {
    names: ['United Kingdom', 'UK', 'GB', 'England', 'Great Britain', 'U.K.', 'Scotland'],
    weight: 12,
    linkedinHost: 'uk',
    tld: 'co.uk',
    freeMail: ['gmail.com', 'btinternet.com', 'hotmail.co.uk', 'yahoo.co.uk'],
    places: [
      ['London', 'England'],
      ['Manchester', 'Greater Manchester'],
      ['Edinburgh', 'Scotland'],
      ['Cardiff', 'Wales'],
      ['Bristol', 'England'],
    ],
    timezones: ['Europe/London', 'GMT', 'UTC+0', 'BST', 'UTC'],
    companySuffixes: ['Ltd', 'Ltd.', 'Limited', 'PLC', 'LLP'],
    firstNames: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Seán', 'Siobhán', 'Aoife', 'Rhys', 'Niamh'],
    lastNames: ['Taylor', 'Wilson', 'Evans', 'Thomas', "O'Connor", 'Roberts', 'MacLeod', 'Fforde', 'Wright'],
    phone: (random) => {
      const london = `7${digits(random, 3)} ${digits(random, 4)}`;
      const mobile = `7${random.int(4, 9)}${digits(random, 2)} ${digits(random, 6)}`;
      return random.pick([
        `+44 20 ${london}`,
        `020 ${london}`,
        `(020) ${london}`,
        `+44 (0)20 ${london}`,
        `0${mobile}`,
        `+44 ${mobile}`,
        `0044 ${mobile}`,
        `0161 ${digits(random, 3)} ${digits(random, 4)}`,
        `'+44${mobile.replace(' ', '')}`,
      ]);
    },
  },
  {
    names: ['Germany', 'DE', 'Deutschland', 'germany', 'DEU', 'Federal Republic of Germany'],
    weight: 10,
    linkedinHost: 'de',
    tld: 'de',
    freeMail: ['gmx.de', 'web.de', 't-online.de', 'gmail.com'],
    places: [
      ['Berlin', 'Berlin'],
      ['München', 'Bayern'],
      ['Hamburg', 'Hamburg'],
      ['Frankfurt am Main', 'Hessen'],
      ['Köln', 'Nordrhein-Westfalen'],
      ['Düsseldorf', 'NRW'],
    ],
    timezones: ['Europe/Berlin', 'CET', 'UTC+1', 'GMT+01:00', 'MEZ'],
    companySuffixes: ['GmbH', 'AG', 'GmbH & Co. KG', 'SE', 'KG'],
    firstNames: ['Jürgen', 'Björn', 'Günther', 'Lena', 'Jörg', 'Anna', 'Maximilian', 'Käthe', 'Sören', 'Ute'],
    lastNames: ['Müller', 'Schäfer', 'Groß', 'Weiß', 'Schmidt', 'Köhler', 'von Braun', 'Fischer', 'Meyer'],
    phone: (random) => {
      const city = random.pick(['30', '89', '40', '69', '221', '211']);
      const mobile = random.pick(['151', '160', '170', '171', '176']);
      return random.pick([
        `+49 ${city} ${digits(random, 7)}`,
        `0${city} ${digits(random, 7)}`,
        `+49 (0)${city} ${digits(random, 7)}`,
        `0049 ${city} ${digits(random, 7)}`,
        `0${city}/${digits(random, 7)}`,
        `0${mobile} ${digits(random, 8)}`,
        `+49 ${mobile} ${digits(random, 8)}`,
        `+49-${city}-${digits(random, 3)}-${digits(random, 4)}`,
      ]);
    },
  },
  {
    names: ['France', 'FR', 'france', 'FRA', 'République française'],
    weight: 8,
    linkedinHost: 'fr',
    tld: 'fr',
    freeMail: ['orange.fr', 'free.fr', 'gmail.com', 'laposte.net'],
    places: [
      ['Paris', 'Île-de-France'],
      ['Lyon', 'Auvergne-Rhône-Alpes'],
      ['Marseille', "Provence-Alpes-Côte d'Azur"],
      ['Toulouse', 'Occitanie'],
      ['Nantes', 'Pays de la Loire'],
    ],
    timezones: ['Europe/Paris', 'CET', 'UTC+01:00', 'heure de Paris'],
    companySuffixes: ['SA', 'SAS', 'SARL', 'S.A.'],
    firstNames: ['François', 'Hélène', 'Zoë', 'Céline', 'Jérôme', 'Chloé', 'Anaïs', 'Loïc', 'Gaëlle', 'Benoît'],
    lastNames: ['Dupont', 'Lefèvre', 'Béranger', 'Moreau', 'Fournier', "d'Arcy", 'Lemaître', 'Girard', 'Faure'],
    phone: (random) => {
      const pairs = (count: number) => Array.from({ length: count }, () => digits(random, 2));
      const fixed = [String(random.int(1, 5)), ...pairs(4)];
      const mobile = [String(random.int(6, 7)), ...pairs(4)];
      return random.pick([
        `+33 ${fixed.join(' ')}`,
        `0${fixed.join(' ')}`,
        `0${mobile.join('.')}`,
        `+33 (0)${mobile.join(' ')}`,
        `0033 ${mobile.join(' ')}`,
        `0${mobile.join('')}`,
        `+33${fixed.join('')}`,
      ]);
    },
  },
  {
    names: ['Spain', 'ES', 'España', 'spain', 'ESP', 'Espana'],
    weight: 6,
    linkedinHost: 'es',
    tld: 'es',
    freeMail: ['gmail.com', 'hotmail.es', 'telefonica.net', 'yahoo.es'],
    places: [
      ['Madrid', 'Comunidad de Madrid'],
      ['Barcelona', 'Cataluña'],
      ['Sevilla', 'Andalucía'],
      ['Valencia', 'Comunitat Valenciana'],
      ['Bilbao', 'País Vasco'],
    ],
    timezones: ['Europe/Madrid', 'CET', 'UTC+1', 'Hora de Madrid'],
    companySuffixes: ['S.L.', 'S.A.', 'SL', 'SLU'],
    firstNames: ['José', 'María', 'Iñaki', 'Sofía', 'Álvaro', 'Lucía', 'Íñigo', 'Begoña', 'Jesús', 'Ramón'],
    lastNames: ['García', 'Fernández', 'Núñez', 'Martínez López', 'Peña', 'Sánchez', 'Ibáñez', 'Muñoz', 'Ruiz'],
    phone: (random) => {
      const fixed = `9${random.pick(['1', '3', '5', '6'])}${digits(random, 1)}`;
      const mobile = `6${digits(random, 2)}`;
      return random.pick([
        `+34 ${fixed} ${digits(random, 3)} ${digits(random, 3)}`,
        `${fixed} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)}`,
        `${mobile} ${digits(random, 3)} ${digits(random, 3)}`,
        `0034 ${mobile}${digits(random, 6)}`,
        `+34 ${mobile}-${digits(random, 3)}-${digits(random, 3)}`,
      ]);
    },
  },
  {
    names: ['Italy', 'IT', 'Italia', 'italy', 'ITA'],
    weight: 6,
    linkedinHost: 'it',
    tld: 'it',
    freeMail: ['libero.it', 'virgilio.it', 'gmail.com', 'tiscali.it'],
    places: [
      ['Roma', 'Lazio'],
      ['Milano', 'Lombardia'],
      ['Torino', 'Piemonte'],
      ['Napoli', 'Campania'],
      ['Bologna', 'Emilia-Romagna'],
    ],
    timezones: ['Europe/Rome', 'CET', 'UTC+1', 'GMT+1'],
    companySuffixes: ['S.p.A.', 'S.r.l.', 'SRL', 'SpA'],
    firstNames: ['Niccolò', 'Giulia', 'Luca', 'Francesca', 'Nicolò', 'Chiara', 'Mattia', 'Andrea', 'Ilaria'],
    lastNames: ['Rossi', 'Bianchi', 'De Luca', 'Colombo', 'Ferrari', "D'Angelo", 'Esposito', 'Romano', 'Gallo'],
    phone: (random) => {
      const city = random.pick(['06', '02', '011', '081', '051']);
      const mobile = random.pick(['347', '333', '320', '339', '366']);
      return random.pick([
        `+39 ${city} ${digits(random, 4)} ${digits(random, 4)}`,
        `${city} ${digits(random, 8)}`,
        `+39 ${mobile} ${digits(random, 3)} ${digits(random, 4)}`,
        `${mobile}-${digits(random, 7)}`,
        `0039 ${mobile} ${digits(random, 7)}`,
      ]);
    },
  },
  {
    names: ['Netherlands', 'NL', 'The Netherlands', 'Holland', 'Nederland', 'netherlands'],
    weight: 5,
    linkedinHost: 'nl',
    tld: 'nl',
    freeMail: ['ziggo.nl', 'kpnmail.nl', 'gmail.com', 'hotmail.nl'],
    places: [
      ['Amsterdam', 'Noord-Holland'],
      ['Rotterdam', 'Zuid-Holland'],
      ['Utrecht', 'Utrecht'],
      ['Eindhoven', 'Noord-Brabant'],
      ['Den Haag', 'Zuid-Holland'],
    ],
    timezones: ['Europe/Amsterdam', 'CET', 'UTC+1'],
    companySuffixes: ['B.V.', 'BV', 'N.V.'],
    firstNames: ['Daan', 'Sanne', 'Bram', 'Fleur', 'Joëlle', 'Sem', 'Noël', 'Anouk', 'Thijs', 'Eline'],
    lastNames: ['de Vries', 'van den Berg', 'Jansen', 'van Dijk', 'Bakker', "van 't Hof", 'Visser', 'Smit'],
    phone: (random) => {
      const city = random.pick(['20', '10', '30', '40', '70']);
      return random.pick([
        `+31 ${city} ${digits(random, 3)} ${digits(random, 4)}`,
        `0${city}-${digits(random, 7)}`,
        `06-${digits(random, 8)}`,
        `+31 6 ${digits(random, 8)}`,
        `0031 (0)${city} ${digits(random, 7)}`,
        `+31 (0)6 ${digits(random, 4)} ${digits(random, 4)}`,
      ]);
    },
  },
  {
    names: ['India', 'IN', 'india', 'IND', 'Bharat'],
    weight: 8,
    linkedinHost: 'in',
    tld: 'in',
    freeMail: ['gmail.com', 'yahoo.co.in', 'rediffmail.com', 'outlook.com'],
    places: [
      ['Bengaluru', 'Karnataka'],
      ['Mumbai', 'Maharashtra'],
      ['New Delhi', 'Delhi'],
      ['Hyderabad', 'Telangana'],
      ['Pune', 'Maharashtra'],
      ['Chennai', 'Tamil Nadu'],
    ],
    timezones: ['Asia/Kolkata', 'IST', 'UTC+5:30', 'GMT+0530', 'Asia/Calcutta'],
    companySuffixes: ['Pvt. Ltd.', 'Private Limited', 'Ltd.', 'Technologies Pvt Ltd'],
    firstNames: ['Priya', 'Rahul', 'Ananya', 'Arjun', 'Sneha', 'Vikram', 'Aarav', 'Diya', 'Karthik', 'Meera'],
    lastNames: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Gupta', 'Nair', 'Krishnamurthy', 'Banerjee', 'Singh'],
    phone: (random) => {
      const mobile = `${random.int(7, 9)}${digits(random, 4)}`;
      const rest = digits(random, 5);
      return random.pick([
        `+91 ${mobile} ${rest}`,
        `0${mobile} ${rest}`,
        `${mobile}${rest}`,
        `+91-${mobile}-${rest}`,
        `+91-22-${digits(random, 4)}-${digits(random, 4)}`,
        `+91 (80) ${digits(random, 8)}`,
        `91${mobile}${rest}`,
      ]);
    },
  },
  {
    names: ['Brazil', 'BR', 'Brasil', 'brazil', 'BRA'],
    weight: 5,
    linkedinHost: 'br',
    tld: 'com.br',
    freeMail: ['gmail.com', 'uol.com.br', 'bol.com.br', 'hotmail.com'],
    places: [
      ['São Paulo', 'SP'],
      ['Rio de Janeiro', 'RJ'],
      ['Belo Horizonte', 'Minas Gerais'],
      ['Curitiba', 'PR'],
      ['Florianópolis', 'SC'],
    ],
    timezones: ['America/Sao_Paulo', 'BRT', 'UTC-3', 'GMT-03:00', 'Horário de Brasília'],
    companySuffixes: ['Ltda.', 'S.A.', 'LTDA', 'ME'],
    firstNames: ['João', 'Thiago', 'Letícia', 'Gonçalo', 'Ana Luíza', 'Júlia', 'Caio', 'Beatriz', 'Otávio'],
    lastNames: ['Silva', 'Gonçalves', 'Araújo', 'Conceição', 'Souza', 'Magalhães', 'Simões', 'Brandão'],
    phone: (random) => {
      const area = random.pick(['11', '21', '31', '41', '48']);
      const mobile = `9${digits(random, 4)}-${digits(random, 4)}`;
      return random.pick([
        `+55 ${area} ${mobile}`,
        `(${area}) ${mobile}`,
        `+55 (${area}) ${random.int(2, 5)}${digits(random, 3)}-${digits(random, 4)}`,
        `0${area} ${mobile}`,
        `+55${area}${mobile.replace('-', '')}`,
      ]);
    },
  },
  {
    names: ['Australia', 'AU', 'australia', 'AUS', 'Commonwealth of Australia'],
    weight: 4,
    linkedinHost: 'au',
    tld: 'com.au',
    freeMail: ['bigpond.com', 'gmail.com', 'optusnet.com.au', 'outlook.com'],
    places: [
      ['Sydney', 'NSW'],
      ['Melbourne', 'Victoria'],
      ['Brisbane', 'QLD'],
      ['Perth', 'WA'],
      ['Adelaide', 'South Australia'],
    ],
    timezones: ['Australia/Sydney', 'AEST', 'UTC+10', 'Australia/Perth', 'AWST'],
    companySuffixes: ['Pty Ltd', 'Pty. Ltd.', 'Limited'],
    firstNames: ['Jack', 'Charlotte', 'Liam', 'Matilda', 'Cooper', 'Ruby', 'Zoë', 'Lachlan', 'Sienna'],
    lastNames: ['Walker', 'Kelly', 'Ryan', "O'Neill", 'Campbell', 'Hughes', 'Murphy', 'Clarke'],
    phone: (random) => {
      const city = String(random.pick([2, 3, 7, 8]));
      const mobile = `4${digits(random, 2)} ${digits(random, 3)} ${digits(random, 3)}`;
      return random.pick([
        `+61 ${city} ${digits(random, 4)} ${digits(random, 4)}`,
        `(0${city}) ${digits(random, 4)} ${digits(random, 4)}`,
        `0${mobile}`,
        `+61 ${mobile}`,
        `0061 ${city} ${digits(random, 8)}`,
      ]);
    },
  },
  {
    names: ['Japan', 'JP', 'japan', 'JPN', 'Nippon', '日本'],
    weight: 3,
    linkedinHost: 'jp',
    tld: 'co.jp',
    freeMail: ['yahoo.co.jp', 'gmail.com', 'docomo.ne.jp', 'nifty.com'],
    places: [
      ['Tokyo', 'Tokyo'],
      ['Osaka', 'Osaka'],
      ['Yokohama', 'Kanagawa'],
      ['Kyoto', 'Kyoto'],
      ['Fukuoka', 'Fukuoka'],
    ],
    timezones: ['Asia/Tokyo', 'JST', 'UTC+9', 'GMT+09:00'],
    companySuffixes: ['K.K.', 'Co., Ltd.', 'Corporation', '株式会社'],
    firstNames: ['Hiroshi', 'Yuki', 'Sakura', 'Takumi', 'Aiko', 'Kenta', 'Yūko', '健太', 'Shōta'],
    lastNames: ['Tanaka', 'Suzuki', 'Satō', 'Itō', 'Watanabe', 'Yamamoto', '佐藤', 'Kobayashi'],
    phone: (random) => {
      const city = random.pick(['3', '6', '45', '75', '92']);
      const mobile = random.pick(['90', '80', '70']);
      return random.pick([
        `+81 ${city}-${digits(random, 4)}-${digits(random, 4)}`,
        `0${city}-${digits(random, 4)}-${digits(random, 4)}`,
        `0${mobile}-${digits(random, 4)}-${digits(random, 4)}`,
        `+81 ${mobile} ${digits(random, 4)} ${digits(random, 4)}`,
        `(0${city}) ${digits(random, 4)}-${digits(random, 4)}`,
        `０${mobile}－${digits(random, 4)}－${digits(random, 4)}`,
      ]);
    },
  },
  {
    names: ['Canada', 'CA', 'canada', 'CAN'],
    weight: 5,
    linkedinHost: 'ca',
    tld: 'ca',
    freeMail: ['gmail.com', 'rogers.com', 'shaw.ca', 'videotron.ca'],
    places: [
      ['Toronto', 'ON'],
      ['Vancouver', 'British Columbia'],
      ['Montréal', 'QC'],
      ['Calgary', 'AB'],
      ['Ottawa', 'Ontario'],
      ['Québec', 'Québec'],
    ],
    timezones: ['America/Toronto', 'America/Vancouver', 'EST', 'PST', 'UTC-5', 'Eastern Time (US & Canada)'],
    companySuffixes: ['Inc.', 'Ltd.', 'Ltée', 'Corp.'],
    firstNames: ['Liam', 'Olivia', 'Noah', 'Émilie', 'Félix', 'Maëlle', 'Ethan', 'Chloé', 'Mathéo'],
    lastNames: ['Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'MacDonald', 'Lévesque'],
    phone: northAmericanPhone(['416', '604', '514', '403', '613', '647', '778', '418']),
  },
];

/** Names of anywhere, mixed into every country so files always carry Polish, Nordic and other accents. */
export const WORLD_FIRST_NAMES = [
  'Łukasz',
  'Søren',
  'Małgorzata',
  'Åsa',
  'Ørjan',
  'Željko',
  'Dóra',
  'Ümit',
  'Ægir',
  'Zoë',
];
export const WORLD_LAST_NAMES = ['Kowalski', 'Wójcik', 'Jørgensen', 'Ødegaard', 'Łęcki', 'Çelik', 'Dvořák', 'Nyström'];

export const COMPANY_WORDS = [
  'Acme',
  'Globex',
  'Nova',
  'Blue',
  'River',
  'Summit',
  'Pixel',
  'Quantum',
  'North',
  'Stone',
  'Bright',
  'Cloud',
  'Data',
  'Green',
  'Iron',
  'Atlas',
  'Vertex',
  'Lumen',
  'Orbit',
  'Harbor',
  'Zenith',
  'Maple',
  'Falcon',
  'Cobalt',
];
export const COMPANY_TAILS = [
  '',
  'Labs',
  'Systems',
  'Works',
  'Group',
  'Solutions',
  'Partners',
  '& Sons',
  'Analytics',
  'Tech',
];

export const TITLES = [
  'VP of Sales',
  'Head of Marketing, EMEA',
  'Chief Technology Officer',
  'Software Engineer II',
  'Director, Business Development',
  'Account Executive',
  'CEO & Co-Founder',
  'Sr. Product Manager',
  'Growth Lead / Partnerships',
  'Directeur Commercial',
  'Geschäftsführer',
  'Responsable de Marketing',
  'Head of Data, Analytics & BI',
  'Office Manager',
  'Procurement Specialist',
  'CFO',
  '',
];

export const INDUSTRIES = [
  'Software',
  'Financial Services',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Education',
  'Marketing & Advertising',
  'Logistics, Supply Chain',
  'Telecommunications',
  'Real Estate',
  'Computer Software',
  '',
];

export const EMPLOYEES = [
  '1-10',
  '11-50',
  '51-200',
  '201-500',
  '501-1,000',
  '1,001-5,000',
  '5,001-10,000',
  '10,000+',
  '250',
];

export const NOTE_SENTENCES = [
  'Met at SaaStr, interested in the enterprise plan.',
  'Follow up in Q3 — budget approved.',
  'Said "call me next week" after the demo.',
  "Prefers email; don't call before 10am.",
  'Referred by Zoë from the Berlin office.',
  'Pain points: data quality, duplicate records, slow imports.',
  'Uses Salesforce + HubSpot, evaluating alternatives.',
  'Décision prévue en septembre, après le comité.',
  'Rückruf erwünscht, bitte auf Deutsch.',
  'Interesado en la integración con la API.',
  'Asked about GDPR, SOC 2 & data residency (EU).',
  'Budget: $25,000–$40,000/yr.',
  'Next step: technical call with their CTO 🚀',
  'Champion left the company; new contact is the "Head of Ops".',
  'Trial ends 2025-03-31, renewal discussion pending.',
  'Wants SSO (SAML), audit logs, and a sandbox.',
  'Competitor: Apollo, ZoomInfo; price-sensitive.',
  'Visited pricing page 3x this week.',
];
export const NOTE_JOINS = [' ', ' ', '\n', '\r\n', '\n\n', '; ', '\n- '];
