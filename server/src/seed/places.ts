import { PhonePlan, block, blocks, type PhoneBlock } from './phones.ts';

// Where demo contacts live. A contact's city fixes its IANA timezone and, in countries with
// geographic mobile numbers (US, CA, MX, AR, BR), its area code, so phone, timezone and the
// `city` custom field agree with each other.

export interface City {
  name: string;
  timezone: string;
  weight: number;
  phones: PhonePlan;
}

export interface Country {
  code: string;
  cities: City[];
  emailDomains: [string, number][];
  /** Channel popularity relative to the global mix (WhatsApp dominates in Brazil, SMS in the US). */
  channelBoost: Partial<Record<string, number>>;
  plans: PhonePlan[];
}

type CityRow = [name: string, timezone: string, weight: number, areaCodes?: string[]];

function country(
  code: string,
  callingCode: string,
  mobile: PhoneBlock[] | ((areaCodes: string[]) => PhoneBlock[]),
  rows: CityRow[],
  emailDomains: [string, number][],
  channelBoost: Partial<Record<string, number>> = {},
): Country {
  const national = Array.isArray(mobile) ? new PhonePlan(callingCode, mobile) : undefined;
  const plans: PhonePlan[] = national ? [national] : [];
  const cities = rows.map(([name, timezone, weight, areaCodes]) => {
    let phones = national;
    if (!phones) {
      if (!areaCodes || typeof mobile !== 'function') throw new Error(`${code}/${name}: no numbering plan`);
      phones = new PhonePlan(callingCode, mobile(areaCodes));
      plans.push(phones);
    }
    return { name, timezone, weight, phones };
  });
  return { code, cities, emailDomains, channelBoost, plans };
}

const nanp = (codes: string[]) => blocks(codes, 7, 2_000_000, 9_999_999);
const whatsappFirst = { whatsapp: 2.6, messenger: 0.7, sms: 0.4 };
const europe = { whatsapp: 1.8, sms: 0.6, telegram: 1.2 };

export const countries: Record<string, Country> = {
  US: country('US', '1', nanp, [
    ['New York', 'America/New_York', 9, ['212', '646', '718', '917', '347']],
    ['Boston', 'America/New_York', 2.5, ['617', '857']],
    ['Philadelphia', 'America/New_York', 2, ['215', '267']],
    ['Miami', 'America/New_York', 3, ['305', '786']],
    ['Atlanta', 'America/New_York', 3, ['404', '678', '470']],
    ['Washington', 'America/New_York', 2, ['202']],
    ['Detroit', 'America/Detroit', 1.5, ['313']],
    ['Chicago', 'America/Chicago', 4.5, ['312', '773', '872']],
    ['Houston', 'America/Chicago', 4, ['713', '832', '281']],
    ['Dallas', 'America/Chicago', 3.5, ['214', '469', '972']],
    ['Austin', 'America/Chicago', 1.5, ['512', '737']],
    ['Minneapolis', 'America/Chicago', 1, ['612']],
    ['Denver', 'America/Denver', 1.8, ['303', '720']],
    ['Salt Lake City', 'America/Denver', 0.8, ['801', '385']],
    ['Phoenix', 'America/Phoenix', 2.5, ['602', '480', '623']],
    ['Los Angeles', 'America/Los_Angeles', 7, ['213', '310', '323', '424', '818']],
    ['San Francisco', 'America/Los_Angeles', 2.5, ['415', '628']],
    ['San Diego', 'America/Los_Angeles', 1.8, ['619', '858']],
    ['Seattle', 'America/Los_Angeles', 2, ['206', '253']],
    ['Portland', 'America/Los_Angeles', 1, ['503', '971']],
    ['Las Vegas', 'America/Los_Angeles', 1, ['702', '725']],
    ['Anchorage', 'America/Anchorage', 0.15, ['907']],
    ['Honolulu', 'Pacific/Honolulu', 0.3, ['808']],
  ], [['gmail.com', 50], ['yahoo.com', 14], ['icloud.com', 12], ['outlook.com', 9], ['hotmail.com', 7], ['aol.com', 3], ['comcast.net', 2]],
  { sms: 2.2, voice: 1.6, whatsapp: 0.5, messenger: 1.3 }),

  CA: country('CA', '1', nanp, [
    ['Toronto', 'America/Toronto', 6, ['416', '647', '437']],
    ['Ottawa', 'America/Toronto', 1.5, ['613', '343']],
    ['Vancouver', 'America/Vancouver', 3, ['604', '778', '236']],
    ['Calgary', 'America/Edmonton', 1.5, ['403', '587']],
    ['Edmonton', 'America/Edmonton', 1.2, ['780', '825']],
    ['Winnipeg', 'America/Winnipeg', 0.8, ['204', '431']],
    ['Halifax', 'America/Halifax', 0.5, ['902', '782']],
    ["St. John's", 'America/St_Johns', 0.2, ['709']],
    ['Montréal', 'America/Toronto', 4, ['514', '438']],
    ['Québec', 'America/Toronto', 1.2, ['418', '581']],
    ['Gatineau', 'America/Toronto', 0.5, ['819', '873']],
  ], [['gmail.com', 50], ['hotmail.com', 15], ['outlook.com', 10], ['icloud.com', 10], ['yahoo.ca', 8], ['rogers.com', 3], ['videotron.ca', 2]],
  { sms: 1.8, voice: 1.3, whatsapp: 0.6, messenger: 1.2 }),

  GB: country('GB', '44', [block('7', 9, 400_000_000, 999_999_999)], [
    ['London', 'Europe/London', 9], ['Manchester', 'Europe/London', 2.5], ['Birmingham', 'Europe/London', 2],
    ['Leeds', 'Europe/London', 1.2], ['Glasgow', 'Europe/London', 1.2], ['Liverpool', 'Europe/London', 1],
    ['Bristol', 'Europe/London', 1], ['Edinburgh', 'Europe/London', 1], ['Cardiff', 'Europe/London', 0.6],
    ['Belfast', 'Europe/London', 0.6],
  ], [['gmail.com', 45], ['hotmail.co.uk', 14], ['icloud.com', 10], ['outlook.com', 9], ['yahoo.co.uk', 8], ['btinternet.com', 5], ['sky.com', 3]],
  { whatsapp: 1.4 }),

  AU: country('AU', '61', [block('4', 8, 10_000_000)], [
    ['Sydney', 'Australia/Sydney', 5], ['Melbourne', 'Australia/Melbourne', 4.5], ['Brisbane', 'Australia/Brisbane', 2.5],
    ['Perth', 'Australia/Perth', 2], ['Adelaide', 'Australia/Adelaide', 1.2], ['Canberra', 'Australia/Sydney', 0.4],
    ['Hobart', 'Australia/Hobart', 0.3], ['Darwin', 'Australia/Darwin', 0.2],
  ], [['gmail.com', 45], ['icloud.com', 12], ['outlook.com', 10], ['hotmail.com', 10], ['bigpond.com', 10], ['yahoo.com.au', 6]],
  { messenger: 1.2, sms: 1.3 }),

  IE: country('IE', '353', blocks(['83', '85', '86', '87', '89'], 7, 1_000_000), [
    ['Dublin', 'Europe/Dublin', 6], ['Cork', 'Europe/Dublin', 1.5], ['Galway', 'Europe/Dublin', 0.8], ['Limerick', 'Europe/Dublin', 0.7],
  ], [['gmail.com', 55], ['hotmail.com', 12], ['outlook.com', 10], ['icloud.com', 10], ['eircom.net', 5]], { whatsapp: 1.5 }),

  IN: country('IN', '91', blocks(['98', '99', '97', '96', '95', '94', '93', '91', '90', '89', '88', '87', '86', '85', '84', '81', '80', '79', '78', '70'], 8), [
    ['Mumbai', 'Asia/Kolkata', 3], ['Delhi', 'Asia/Kolkata', 3], ['Bengaluru', 'Asia/Kolkata', 2.5], ['Hyderabad', 'Asia/Kolkata', 1.8],
    ['Chennai', 'Asia/Kolkata', 1.5], ['Kolkata', 'Asia/Kolkata', 1.3], ['Pune', 'Asia/Kolkata', 1.2], ['Ahmedabad', 'Asia/Kolkata', 1],
  ], [['gmail.com', 75], ['yahoo.co.in', 10], ['outlook.com', 6], ['rediffmail.com', 5], ['hotmail.com', 4]],
  { ...whatsappFirst, telegram: 1.6 }),

  ES: country('ES', '34', [block('6', 8), block('7', 8, 10_000_000, 49_999_999)], [
    ['Madrid', 'Europe/Madrid', 6.5], ['Barcelona', 'Europe/Madrid', 5.5], ['Valencia', 'Europe/Madrid', 1.6],
    ['Sevilla', 'Europe/Madrid', 1.4], ['Zaragoza', 'Europe/Madrid', 1], ['Málaga', 'Europe/Madrid', 1],
    ['Bilbao', 'Europe/Madrid', 0.7], ['Alicante', 'Europe/Madrid', 0.7], ['Palma', 'Europe/Madrid', 0.6],
    ['Las Palmas de Gran Canaria', 'Atlantic/Canary', 0.5], ['Santa Cruz de Tenerife', 'Atlantic/Canary', 0.4],
  ], [['gmail.com', 55], ['hotmail.es', 15], ['hotmail.com', 8], ['outlook.es', 8], ['yahoo.es', 6], ['icloud.com', 6]], whatsappFirst),

  MX: country('MX', '52', (codes) => blocks(codes, 10 - (codes[0]?.length ?? 2), 10 ** (9 - (codes[0]?.length ?? 2)) * 2), [
    ['Ciudad de México', 'America/Mexico_City', 9, ['55', '56']],
    ['Guadalajara', 'America/Mexico_City', 4, ['33']],
    ['Monterrey', 'America/Monterrey', 3.5, ['81']],
    ['Puebla', 'America/Mexico_City', 1.5, ['222']],
    ['Tijuana', 'America/Tijuana', 1.5, ['664']],
    ['León', 'America/Mexico_City', 1, ['477']],
    ['Querétaro', 'America/Mexico_City', 0.9, ['442']],
    ['Mérida', 'America/Merida', 0.8, ['999']],
    ['Cancún', 'America/Cancun', 0.7, ['998']],
    ['Chihuahua', 'America/Chihuahua', 0.6, ['614']],
    ['Hermosillo', 'America/Hermosillo', 0.5, ['662']],
    ['Mazatlán', 'America/Mazatlan', 0.4, ['669']],
  ], [['gmail.com', 55], ['hotmail.com', 22], ['outlook.com', 10], ['yahoo.com.mx', 8], ['icloud.com', 5]], whatsappFirst),

  // Argentine mobiles in E.164 carry a 9 before the area code; area + number is 10 digits.
  AR: country('AR', '54', (codes) => blocks(codes, 11 - (codes[0]?.length ?? 3), 2 * 10 ** (10 - (codes[0]?.length ?? 3))), [
    ['Buenos Aires', 'America/Argentina/Buenos_Aires', 7, ['911']],
    ['Córdoba', 'America/Argentina/Cordoba', 1.5, ['9351']],
    ['Rosario', 'America/Argentina/Cordoba', 1.2, ['9341']],
    ['Mendoza', 'America/Argentina/Mendoza', 1, ['9261']],
    ['Salta', 'America/Argentina/Salta', 0.5, ['9387']],
    ['Ushuaia', 'America/Argentina/Ushuaia', 0.1, ['92901']],
  ], [['gmail.com', 55], ['hotmail.com', 20], ['yahoo.com.ar', 10], ['outlook.com', 8], ['icloud.com', 5]], whatsappFirst),

  CO: country('CO', '57', blocks(['300', '301', '302', '304', '305', '310', '311', '312', '313', '314', '315', '316', '317', '318', '319', '320', '321', '322', '323', '350'], 7), [
    ['Bogotá', 'America/Bogota', 6], ['Medellín', 'America/Bogota', 3], ['Cali', 'America/Bogota', 2],
    ['Barranquilla', 'America/Bogota', 1.5], ['Cartagena', 'America/Bogota', 0.8], ['Bucaramanga', 'America/Bogota', 0.7],
  ], [['gmail.com', 60], ['hotmail.com', 18], ['outlook.com', 10], ['yahoo.com', 7], ['icloud.com', 5]], whatsappFirst),

  FR: country('FR', '33', [block('6', 8), block('7', 8, 30_000_000)], [
    ['Paris', 'Europe/Paris', 8], ['Marseille', 'Europe/Paris', 2], ['Lyon', 'Europe/Paris', 2], ['Toulouse', 'Europe/Paris', 1.5],
    ['Lille', 'Europe/Paris', 1.1], ['Nice', 'Europe/Paris', 1], ['Nantes', 'Europe/Paris', 1], ['Bordeaux', 'Europe/Paris', 1],
    ['Montpellier', 'Europe/Paris', 0.9], ['Strasbourg', 'Europe/Paris', 0.8],
  ], [['gmail.com', 40], ['orange.fr', 14], ['hotmail.fr', 10], ['free.fr', 8], ['laposte.net', 6], ['sfr.fr', 6], ['outlook.fr', 6], ['icloud.com', 6], ['yahoo.fr', 4]],
  { whatsapp: 1.3, messenger: 1.1 }),

  BE: country('BE', '32', blocks(['470', '471', '472', '473', '474', '475', '476', '477', '478', '479', '484', '485', '486', '487', '488', '489', '491', '492', '493', '494', '495', '496', '497', '498', '499'], 6), [
    ['Bruxelles', 'Europe/Brussels', 3], ['Liège', 'Europe/Brussels', 1], ['Charleroi', 'Europe/Brussels', 0.8], ['Namur', 'Europe/Brussels', 0.5],
    ['Antwerpen', 'Europe/Brussels', 2.5], ['Gent', 'Europe/Brussels', 1.5], ['Brussel', 'Europe/Brussels', 0.8],
    ['Brugge', 'Europe/Brussels', 0.7], ['Leuven', 'Europe/Brussels', 0.6],
  ], [['gmail.com', 45], ['telenet.be', 12], ['hotmail.com', 12], ['outlook.com', 10], ['skynet.be', 8], ['icloud.com', 6]], europe),

  DE: country('DE', '49', [...blocks(['151', '152', '157', '159'], 8), ...blocks(['160', '162', '163', '170', '171', '172', '173', '174', '175', '176', '177', '178', '179'], 7, 1_000_000)], [
    ['Berlin', 'Europe/Berlin', 5], ['Hamburg', 'Europe/Berlin', 2.5], ['München', 'Europe/Berlin', 2.2], ['Köln', 'Europe/Berlin', 1.6],
    ['Frankfurt am Main', 'Europe/Berlin', 1.2], ['Stuttgart', 'Europe/Berlin', 1], ['Düsseldorf', 'Europe/Berlin', 1],
    ['Leipzig', 'Europe/Berlin', 0.9], ['Dortmund', 'Europe/Berlin', 0.9], ['Essen', 'Europe/Berlin', 0.8], ['Bremen', 'Europe/Berlin', 0.8],
    ['Dresden', 'Europe/Berlin', 0.8], ['Hannover', 'Europe/Berlin', 0.8], ['Nürnberg', 'Europe/Berlin', 0.8],
  ], [['gmail.com', 30], ['gmx.de', 20], ['web.de', 20], ['t-online.de', 10], ['outlook.de', 6], ['icloud.com', 6], ['yahoo.de', 4]], europe),

  AT: country('AT', '43', blocks(['650', '660', '664', '676', '680', '681', '688', '699'], 7, 1_000_000), [
    ['Wien', 'Europe/Vienna', 5], ['Graz', 'Europe/Vienna', 1.5], ['Linz', 'Europe/Vienna', 1.1], ['Salzburg', 'Europe/Vienna', 0.8], ['Innsbruck', 'Europe/Vienna', 0.7],
  ], [['gmail.com', 35], ['gmx.at', 20], ['outlook.com', 10], ['aon.at', 8], ['icloud.com', 6], ['chello.at', 5]], europe),

  CH: country('CH', '41', blocks(['75', '76', '77', '78', '79'], 7, 1_000_000), [
    ['Zürich', 'Europe/Zurich', 3], ['Basel', 'Europe/Zurich', 1.2], ['Bern', 'Europe/Zurich', 1.1], ['Luzern', 'Europe/Zurich', 0.7],
    ['St. Gallen', 'Europe/Zurich', 0.6], ['Winterthur', 'Europe/Zurich', 0.6],
  ], [['gmail.com', 35], ['bluewin.ch', 20], ['gmx.ch', 10], ['hotmail.com', 8], ['outlook.com', 8], ['icloud.com', 8]], europe),

  // Brazilian mobiles: area code (DDD), then 9, then eight digits.
  BR: country('BR', '55', (codes) => blocks(codes.map((c) => `${c}9`), 8, 60_000_000), [
    ['São Paulo', 'America/Sao_Paulo', 12, ['11']], ['Campinas', 'America/Sao_Paulo', 2, ['19']],
    ['Rio de Janeiro', 'America/Sao_Paulo', 6, ['21']], ['Belo Horizonte', 'America/Sao_Paulo', 3, ['31']],
    ['Curitiba', 'America/Sao_Paulo', 2, ['41']], ['Porto Alegre', 'America/Sao_Paulo', 2, ['51']],
    ['Florianópolis', 'America/Sao_Paulo', 0.8, ['48']], ['Brasília', 'America/Sao_Paulo', 2, ['61']],
    ['Goiânia', 'America/Sao_Paulo', 1.3, ['62']], ['Salvador', 'America/Bahia', 2.5, ['71']],
    ['Recife', 'America/Recife', 2, ['81']], ['Fortaleza', 'America/Fortaleza', 2, ['85']],
    ['Belém', 'America/Belem', 1.2, ['91']], ['Manaus', 'America/Manaus', 1.3, ['92']],
    ['Cuiabá', 'America/Cuiaba', 0.6, ['65']], ['Campo Grande', 'America/Campo_Grande', 0.5, ['67']],
    ['Rio Branco', 'America/Rio_Branco', 0.2, ['68']],
  ], [['gmail.com', 60], ['hotmail.com', 15], ['outlook.com', 8], ['yahoo.com.br', 7], ['uol.com.br', 5], ['bol.com.br', 3]],
  { whatsapp: 3.2, messenger: 0.6, sms: 0.3, telegram: 1.4 }),

  PT: country('PT', '351', blocks(['91', '92', '93', '96'], 7), [
    ['Lisboa', 'Europe/Lisbon', 4], ['Porto', 'Europe/Lisbon', 2.5], ['Braga', 'Europe/Lisbon', 0.8], ['Coimbra', 'Europe/Lisbon', 0.6],
    ['Faro', 'Europe/Lisbon', 0.5], ['Funchal', 'Atlantic/Madeira', 0.4], ['Ponta Delgada', 'Atlantic/Azores', 0.3],
  ], [['gmail.com', 55], ['hotmail.com', 15], ['sapo.pt', 12], ['outlook.pt', 8], ['icloud.com', 5]], whatsappFirst),

  IT: country('IT', '39', blocks(['320', '328', '329', '333', '334', '335', '338', '339', '340', '347', '348', '349', '366', '380', '388', '392'], 7), [
    ['Roma', 'Europe/Rome', 5], ['Milano', 'Europe/Rome', 4.5], ['Napoli', 'Europe/Rome', 3], ['Torino', 'Europe/Rome', 2.5],
    ['Palermo', 'Europe/Rome', 1.8], ['Bologna', 'Europe/Rome', 1.4], ['Firenze', 'Europe/Rome', 1.3], ['Genova', 'Europe/Rome', 1.2],
    ['Bari', 'Europe/Rome', 1.1], ['Catania', 'Europe/Rome', 1], ['Venezia', 'Europe/Rome', 0.8], ['Verona', 'Europe/Rome', 0.8],
  ], [['gmail.com', 45], ['libero.it', 15], ['hotmail.it', 10], ['yahoo.it', 8], ['outlook.it', 6], ['alice.it', 5], ['virgilio.it', 5], ['icloud.com', 4]],
  whatsappFirst),

  NL: country('NL', '31', [block('6', 8, 10_000_000)], [
    ['Amsterdam', 'Europe/Amsterdam', 4.5], ['Rotterdam', 'Europe/Amsterdam', 3], ['Den Haag', 'Europe/Amsterdam', 2.5],
    ['Utrecht', 'Europe/Amsterdam', 1.9], ['Eindhoven', 'Europe/Amsterdam', 1.2], ['Groningen', 'Europe/Amsterdam', 1],
    ['Tilburg', 'Europe/Amsterdam', 1], ['Almere', 'Europe/Amsterdam', 1], ['Breda', 'Europe/Amsterdam', 0.8], ['Nijmegen', 'Europe/Amsterdam', 0.8],
  ], [['gmail.com', 45], ['hotmail.com', 12], ['outlook.com', 10], ['ziggo.nl', 8], ['icloud.com', 8], ['kpnmail.nl', 6], ['live.nl', 6]],
  { whatsapp: 2.2, sms: 0.5 }),
};
