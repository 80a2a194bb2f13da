import type { Migration } from 'kysely';
import * as m20261129T1800 from './20261129T1800-create-instance';
import * as m20261129T1900 from './20261129T1900-create-directory';
import * as m20261129T2000 from './20261129T2000-create-accounts';
import * as m20261129T2100 from './20261129T2100-create-sign-in';
import * as m20261130T0100 from './20261130T0100-tenant-isolation';
import * as m20261130T0300 from './20261130T0300-create-accompaniment';
import * as m20261130T0350 from './20261130T0350-create-passkeys';
import * as m20261130T0400 from './20261130T0400-create-reminders';
import * as m20261130T0500 from './20261130T0500-documents-and-retention';
import * as m20261130T1000 from './20261130T1000-create-appointments';
import * as m20261130T1100 from './20261130T1100-case-list-indexes';
import * as m20261130T1200 from './20261130T1200-directory-search-index';
import * as m20261130T1300 from './20261130T1300-create-participation';
import * as m20261130T1320 from './20261130T1320-contribution-translation-by';
import * as m20261130T1330 from './20261130T1330-theme-quotes';
import * as m20261130T1400 from './20261130T1400-directory-revision';

/**
 * Every migration, by name; names sort in the order they run. Adding a migration is one
 * file and one line here (a static import works the same under Vite and under tsx).
 */
export const migrations: Record<string, Migration> = {
  '20261129T1800-create-instance': m20261129T1800,
  '20261129T1900-create-directory': m20261129T1900,
  '20261129T2000-create-accounts': m20261129T2000,
  '20261129T2100-create-sign-in': m20261129T2100,
  '20261130T0100-tenant-isolation': m20261130T0100,
  '20261130T0300-create-accompaniment': m20261130T0300,
  '20261130T0350-create-passkeys': m20261130T0350,
  '20261130T0400-create-reminders': m20261130T0400,
  '20261130T0500-documents-and-retention': m20261130T0500,
  '20261130T1000-create-appointments': m20261130T1000,
  '20261130T1100-case-list-indexes': m20261130T1100,
  '20261130T1200-directory-search-index': m20261130T1200,
  '20261130T1300-create-participation': m20261130T1300,
  '20261130T1320-contribution-translation-by': m20261130T1320,
  '20261130T1330-theme-quotes': m20261130T1330,
  '20261130T1400-directory-revision': m20261130T1400
};
