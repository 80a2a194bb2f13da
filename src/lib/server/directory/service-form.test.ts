import { describe, expect, it } from 'vitest';
import { fromParis } from '../../time/paris-time';
import { isOpenAt } from '../../directory/opening-hours';
import { demoServices } from './demo';
import { changesBetween } from './repository';
import { validateService, type DirectoryService } from './model';
import {
  dialableNumber,
  fieldOfIssue,
  formOfService,
  newServiceId,
  parseClosureForm,
  parseServiceForm,
  phoneRowCount,
  previewHours,
  readServiceForm,
  type ServiceForm
} from './service-form';

// As the repository gives them back: tags sorted.
const stored = (s: DirectoryService): DirectoryService => ({ ...s, categories: [...s.categories].sort(), audiences: [...s.audiences].sort(), languages: [...s.languages].sort() });
const demo = demoServices();
const national = demo.national.map(stored);
const sample = demo.sample.map(stored);
const all = [...national, ...sample];

function filled(values: Record<string, string>, lists: Partial<Pick<ServiceForm, 'categories' | 'audiences' | 'languages'>> = {}): ServiceForm {
  const form = formOfService(null);
  return { ...form, values: { ...form.values, organization: 'Association Fictive', name_fr: 'Accueil de nuit Fictif', ...values }, categories: [], audiences: [], languages: [], ...lists };
}

function create(values: Record<string, string>, lists: Partial<Pick<ServiceForm, 'categories' | 'audiences' | 'languages'>> = {}) {
  return parseServiceForm(filled(values, lists), { id: 'new-service', current: null });
}

const keysOf = (result: ReturnType<typeof parseServiceForm>) => (result.ok ? [] : result.problems.map((p) => `${p.field}:${p.key}`));

describe('formOfService → parseServiceForm', () => {
  it.each(all.map((s) => [s.id, s] as const))('gives %s back unchanged when nothing is edited', (_id, service) => {
    const result = parseServiceForm(formOfService(service, 3), { id: service.id, current: service });
    expect(keysOf(result)).toEqual([]);
    if (!result.ok) return;
    expect(result.expectedVersion).toBe(3);
    expect(result.organizationName).toBe(service.organization.name);
    const again = { ...result.draft, organization: service.organization } as DirectoryService;
    expect(changesBetween(service, again)).toEqual({});
  });

  it('keeps texts in languages the form does not show, closures and exception notes', () => {
    const exit = sample.find((s) => s.id === 'sample-paris-exit-programme')!;
    const current: DirectoryService = {
      ...exit,
      hours: { weekly: { 1: [{ opens: '09:00', closes: '17:00' }] }, publicHolidays: 'closed', exceptions: [{ date: '2026-12-24', slots: [], note: 'Fête' }], closures: [{ from: '2026-12-01T00:00:00+01:00', to: '2026-12-08T00:00:00+01:00', reason: 'Travaux' }] }
    };
    const form = formOfService(current);
    expect(form.values.hours).toBe('Mo 09:00-17:00; 2026 Dec 24 off');
    expect(form.values.public_holidays).toBe('closed');
    form.values.hours = 'Mo-Tu 09:00-17:00; 2026 Dec 24 off';
    const result = parseServiceForm(form, { id: current.id, current });
    expect(keysOf(result)).toEqual([]);
    if (!result.ok) return;
    expect(Object.keys(result.draft.texts).sort()).toEqual(['en', 'es', 'fr', 'pcm', 'ro']);
    expect(result.draft.hours).toEqual({
      weekly: { 1: [{ opens: '09:00', closes: '17:00' }], 2: [{ opens: '09:00', closes: '17:00' }] },
      publicHolidays: 'closed',
      exceptions: [{ date: '2026-12-24', slots: [], note: 'Fête' }],
      closures: current.hours!.closures
    });
  });
});

describe('parseServiceForm on a new service', () => {
  it('builds a valid record with overnight hours, phones, a place and languages', () => {
    const result = create(
      {
        description_fr: 'Un lit pour la nuit.',
        name_en: 'Fictitious night shelter',
        hours: 'Mo-Su 20:00-08:00',
        public_holidays: 'open',
        phone_0_display: '01 80 52 33 76',
        phone_0_kind: 'voice',
        phone_1_display: '+33 6 00 00 00 00',
        phone_1_kind: 'sms',
        phone_1_description: 'SMS la nuit',
        address: '1 rue Imaginaire',
        postal_code: '75018',
        city: 'Paris',
        commune: '75118',
        latitude: '48,89',
        longitude: '2.34',
        transport_fr: 'Métro Fictif',
        free: 'yes',
        wheelchair: 'no',
        other_languages: 'wo, ff'
      },
      { categories: ['emergency-shelter', 'day-centre'], audiences: ['women_only'], languages: ['fr', 'en'] }
    );
    expect(keysOf(result)).toEqual([]);
    if (!result.ok) return;
    const record = validateService({ ...result.draft, organization: { id: 'org-x', name: result.organizationName } }, 'test');
    expect(record.ok).toBe(true);
    expect(result.draft).toMatchObject({
      status: 'active',
      sourceLocale: 'fr',
      texts: { fr: { name: 'Accueil de nuit Fictif', description: 'Un lit pour la nuit.', transport: 'Métro Fictif' }, en: { name: 'Fictitious night shelter' } },
      categories: ['day-centre', 'emergency-shelter'],
      audiences: ['women_only'],
      languages: ['en', 'ff', 'fr', 'wo'],
      free: true,
      wheelchair: false,
      phones: [
        { number: '0180523376', display: '01 80 52 33 76', kind: 'voice' },
        { number: '+33600000000', display: '+33 6 00 00 00 00', kind: 'sms', description: 'SMS la nuit' }
      ],
      location: { id: 'new-service-location', address: '1 rue Imaginaire', postalCode: '75018', city: 'Paris', communeCode: '75118', latitude: 48.89, longitude: 2.34, confidential: false },
      region: 'idf',
      national: false,
      sample: false
    });
    expect(result.draft.texts.pcm).toBeUndefined();
    // Open at 23:00 on a Tuesday and at 07:00 on the Wednesday, closed at noon.
    expect(isOpenAt(result.draft.hours!, fromParis({ year: 2026, month: 12, day: 1, hour: 23, minute: 0 }))).toBe(true);
    expect(isOpenAt(result.draft.hours!, fromParis({ year: 2026, month: 12, day: 2, hour: 7, minute: 0 }))).toBe(true);
    expect(isOpenAt(result.draft.hours!, fromParis({ year: 2026, month: 12, day: 2, hour: 12, minute: 0 }))).toBe(false);
  });

  it('requires the French name and the organization', () => {
    expect(keysOf(create({ name_fr: '  ', organization: '' }))).toEqual(expect.arrayContaining(['organization:staff.directory.error.required']));
    expect(keysOf(create({ name_fr: '' }))).toEqual(['name_fr:staff.directory.error.required']);
  });

  it('asks for a name in a language that has other texts', () => {
    expect(keysOf(create({ description_en: 'A bed for the night.' }))).toEqual(['name_en:staff.directory.error.name_needed_for_language']);
  });

  it('refuses an unreadable opening_hours string and says where', () => {
    const result = create({ hours: 'Mo-Fr 9h-17h' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ field: 'hours', key: expect.stringMatching(/^staff\.directory\.hours_error\.(syntax|time)$/) });
    expect(String(result.problems[0]!.args!.near)).toContain('9h');
    expect(keysOf(create({ hours: 'Jan-Mar Mo 10:00-12:00' }))).toEqual(['hours:staff.directory.hours_error.unsupported']);
    expect(keysOf(create({ hours: 'Mo 25:00-26:00' }))).toEqual(['hours:staff.directory.hours_error.time']);
  });

  it('takes the public holidays from the choice, or from a PH rule when told so — never both', () => {
    const fromChoice = create({ hours: 'Mo-Fr 09:00-17:00', public_holidays: 'closed' });
    expect(fromChoice.ok && fromChoice.draft.hours!.publicHolidays).toBe('closed');
    const fromRule = create({ hours: 'Mo-Fr 09:00-17:00; PH 10:00-12:00', public_holidays: 'in_hours' });
    expect(fromRule.ok && fromRule.draft.hours!.publicHolidays).toEqual({ slots: [{ opens: '10:00', closes: '12:00' }] });
    expect(keysOf(create({ hours: 'Mo-Fr 09:00-17:00; PH off', public_holidays: 'unknown' }))).toEqual(['public_holidays:staff.directory.error.ph_twice']);
    expect(keysOf(create({ hours: 'Mo-Fr 09:00-17:00', public_holidays: 'in_hours' }))).toEqual(['public_holidays:staff.directory.error.ph_missing']);
    const none = create({ hours: '  ' });
    expect(none.ok && none.draft.hours).toBeNull();
  });

  it('needs a public front door for a confidential place', () => {
    expect(keysOf(create({ address: '2 rue Secrète', confidential: 'on' }))).toEqual(['front_door_phone:staff.directory.error.front_door_needed']);
    const withPhone = create({ address: '2 rue Secrète', confidential: 'on', front_door_phone: '01 00 00 00 00' });
    expect(withPhone.ok && withPhone.draft.location).toMatchObject({ confidential: true, address: '2 rue Secrète', frontDoorPhone: '0100000000' });
    const withText = create({ confidential: 'on', front_door_fr: 'Devant la gare, appelez en arrivant' });
    expect(withText.ok && withText.draft.location).toMatchObject({ confidential: true });
  });

  it('refuses bad phones, places, addresses and choices, field by field', () => {
    expect(keysOf(create({ phone_0_display: 'le standard' }))).toEqual(['phone_0_display:staff.directory.error.invalid_phone']);
    expect(keysOf(create({ phone_2_description: 'la nuit' }))).toEqual(['phone_2_display:staff.directory.error.required']);
    expect(keysOf(create({ latitude: '48.8' }))).toEqual(['longitude:staff.directory.error.latitude_longitude_together']);
    expect(keysOf(create({ latitude: 'nord', longitude: '2.3' }))).toEqual(['latitude:staff.directory.error.invalid_number']);
    expect(keysOf(create({ commune: '99999' }))).toEqual(['commune:staff.directory.error.invalid_choice']);
    expect(keysOf(create({ postal_code: '7501' }))).toEqual(['postal_code:staff.directory.error.invalid_postal_code']);
    expect(keysOf(create({ url: 'javascript:alert(1)' }))).toEqual(['url:staff.directory.error.invalid_url']);
    expect(keysOf(create({ email: 'pas une adresse' }))).toEqual(['email:staff.directory.error.invalid_email']);
    expect(keysOf(create({ status: 'open' }))).toEqual(['status:staff.directory.error.invalid_choice']);
    expect(keysOf(create({ name_fr: 'x'.repeat(301) }))).toEqual(['name_fr:staff.directory.error.too_long']);
    expect(keysOf(create({ other_languages: 'french' }))).toEqual(['other_languages:staff.directory.error.invalid_language_code']);
    expect(keysOf(create({}, { categories: ['brothel'] }))).toEqual(['categories:staff.directory.error.invalid_choice']);
  });
});

describe('readServiceForm', () => {
  it('reads known fields only, cut to a bounded length, and lists', () => {
    const data = new FormData();
    data.set('name_fr', 'x'.repeat(10_000));
    data.set('evil', 'y');
    data.append('categories', 'food');
    data.append('categories', 'hygiene');
    const form = readServiceForm(data);
    expect(form.values.name_fr).toHaveLength(5000);
    expect(form.values.evil).toBeUndefined();
    expect(form.values.hours).toBe('');
    expect(form.categories).toEqual(['food', 'hygiene']);
  });
  it('shows the filled phone rows and two empty ones', () => {
    expect(phoneRowCount(formOfService(null))).toBe(2);
    expect(phoneRowCount(formOfService(national.find((s) => s.id === 'fr-116006')!))).toBe(4);
  });
});

describe('previewHours', () => {
  it('parses what she typed, or nothing when it cannot', () => {
    expect(previewHours(filled({ hours: 'Mo 20:00-08:00', public_holidays: 'unknown' }), null)).toEqual({ weekly: { 1: [{ opens: '20:00', closes: '08:00' }] }, publicHolidays: 'unknown' });
    expect(previewHours(filled({ hours: 'Mo 8h' }), null)).toBeNull();
  });
});

describe('parseClosureForm', () => {
  const now = fromParis({ year: 2026, month: 11, day: 29, hour: 12, minute: 0 });
  it('closes from the first day at midnight to the end of the last day, Paris time', () => {
    expect(parseClosureForm({ closure_from: '2026-12-01', closure_to: '2026-12-03', closure_reason: ' Travaux ' }, now)).toEqual({
      ok: true,
      closure: { from: '2026-12-01T00:00:00+01:00', to: '2026-12-04T00:00:00+01:00', reason: 'Travaux' }
    });
  });
  it('refuses a missing or impossible date, an end before the start or in the past, and a year-long closure', () => {
    const codes = (from: string, to: string) => {
      const r = parseClosureForm({ closure_from: from, closure_to: to, closure_reason: '' }, now);
      return r.ok ? [] : r.problems.map((p) => `${p.field}:${p.key}`);
    };
    expect(codes('', '2026-12-03')).toEqual(['closure_from:staff.directory.error.required']);
    expect(codes('2026-02-30', '2026-12-03')).toEqual(['closure_from:staff.directory.error.invalid_date']);
    expect(codes('2026-12-05', '2026-12-03')).toEqual(['closure_to:staff.directory.error.closure_before_start']);
    expect(codes('2026-11-01', '2026-11-28')).toEqual(['closure_to:staff.directory.error.closure_in_past']);
    expect(codes('2026-12-01', '2028-01-01')).toEqual(['closure_to:staff.directory.error.closure_too_long']);
  });
});

describe('helpers', () => {
  it('dials numbers as written', () => {
    expect(dialableNumber(' 01.80.52.33.76 ')).toBe('0180523376');
    expect(dialableNumber('115')).toBe('115');
    expect(dialableNumber('+33 (1) 80')).toBe('+33180');
    expect(dialableNumber('1')).toBeNull();
    expect(dialableNumber('appelez')).toBeNull();
  });
  it('names new services by their name and a random tail', () => {
    expect(newServiceId("Accueil de jour « L'Étoile » !", 'A1b2C3d4e5')).toBe('accueil-de-jour-l-etoile-a1b2c3d4');
    expect(newServiceId('   ', 'ff00ff00')).toBe('service-ff00ff00');
    expect(newServiceId('x'.repeat(200), '12345678')).toHaveLength(49);
  });
  it('sends record issues to the right field', () => {
    expect(fieldOfIssue('texts.en.frontDoor')).toBe('front_door_en');
    expect(fieldOfIssue('texts.fr')).toBe('name_fr');
    expect(fieldOfIssue('phones.2.number')).toBe('phone_2_display');
    expect(fieldOfIssue('location.frontDoorPhone')).toBe('front_door_phone');
    expect(fieldOfIssue('hours.weekly.1.0.closes')).toBe('hours');
    expect(fieldOfIssue('region')).toBeNull();
  });
});
