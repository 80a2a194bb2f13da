import type { DirectoryService } from '../../src/lib/server/directory/model';

/**
 * A fictitious service for database tests: a day centre of the Île-de-France open on
 * Tuesdays 09:00–17:00, named `name` in French; `extra` replaces any field.
 */
export function fakeService(id: string, name: string, extra: Partial<DirectoryService> = {}): DirectoryService {
  return {
    id,
    organization: { id: 'org-fictive', name: 'Association Fictive' },
    status: 'active',
    sourceLocale: 'fr',
    texts: { fr: { name, description: 'Service fictif pour les tests.' } },
    categories: ['day-centre'],
    audiences: [],
    languages: ['fr'],
    free: true,
    wheelchair: null,
    phones: [],
    hours: { weekly: { '2': [{ opens: '09:00', closes: '17:00' }] }, publicHolidays: 'closed' },
    hoursAlternative: null,
    location: null,
    region: 'idf',
    national: false,
    sample: true,
    lastVerifiedAt: null,
    lastVerifiedBy: null,
    ...extra
  } as DirectoryService;
}
