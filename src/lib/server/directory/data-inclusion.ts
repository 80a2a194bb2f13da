/**
 * data·inclusion (the French State's schema of social services, v0/v1 `services`)
 * → directory records. Hours come from `horaires_accueil` (an OSM opening_hours
 * string); a string we cannot read is an error on that field, never a guess.
 * Themes we do not map give no category; `publics` 'femmes' gives women_only only
 * when it is the sole public.
 */
import { parseOsmOpeningHours } from '../../directory/osm-opening-hours';
import type { CategoryId } from '../../directory/taxonomy';
import { validateService, type DirectoryService, type RecordIssue } from './model';

const THEMES: Array<[RegExp, CategoryId]> = [
  [/^logement-hebergement--(etre-heberge|hebergement-d-urgence|mal-loge)|^logement-hebergement$/, 'emergency-shelter'],
  [/^acces-aux-droits-et-citoyennete--(accompagnement-juridique|connaitre-ses-droits|aide-aux-victimes)|^acces-aux-droits/, 'legal-aid'],
  [/aide-aux-victimes/, 'police-justice'],
  [/^sante--(sante-mentale|accompagnement-psy)/, 'mental-health'],
  [/^sante/, 'health'],
  [/^se-nourrir|^alimentation|aide-alimentaire/, 'food'],
  [/hygiene/, 'hygiene'],
  [/asile|demande-d-asile/, 'asylum-support'],
  [/protection-de-l-enfance|^famille--protection/, 'child-protection']
];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function fromDataInclusionService(input: unknown, recordLabel: string): { ok: true; value: DirectoryService } | { ok: false; issues: RecordIssue[] } {
  if (!isRecord(input)) return { ok: false, issues: [{ record: recordLabel, field: '(record)', code: 'invalid_type', message: 'a service object is expected' }] };
  const label = typeof input.id === 'string' ? `${recordLabel} (${input.id})` : recordLabel;
  const issues: RecordIssue[] = [];
  const source = str(input.source) ?? 'data-inclusion';
  const rawId = str(input.id);
  const id = rawId ? `di-${source}-${rawId}`.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 100) : undefined;

  let hours: DirectoryService['hours'] = null;
  const osm = str(input.horaires_accueil) ?? str(input.horaires_ouverture);
  if (osm) {
    const parsed = parseOsmOpeningHours(osm, { absentPublicHolidays: 'unknown' });
    if (parsed.ok) hours = parsed.value;
    else issues.push({ record: label, field: 'horaires_accueil', code: parsed.error.code, message: `not understood at character ${parsed.error.position + 1}: ${parsed.error.code}` });
  }

  const themes = Array.isArray(input.thematiques) ? input.thematiques.filter((t): t is string => typeof t === 'string') : [];
  const categories = [...new Set(themes.flatMap((t) => THEMES.filter(([re]) => re.test(t)).map(([, c]) => c)))];
  const publics = Array.isArray(input.publics) ? input.publics : [];
  const phone = str(input.telephone)?.replace(/[\s.-]/g, '');
  const lat = typeof input.latitude === 'number' ? input.latitude : undefined;
  const lon = typeof input.longitude === 'number' ? input.longitude : undefined;
  const frais = Array.isArray(input.frais) ? input.frais : typeof input.frais === 'string' ? [input.frais] : [];
  const candidate = {
    id,
    organization: { id: `di-${source}-${str(input.structure_id) ?? rawId ?? 'unknown'}`.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 100), name: str(input.structure_nom) ?? str(input.nom) },
    status: 'active',
    sourceLocale: 'fr',
    texts: {
      fr: {
        name: str(input.nom),
        ...(str(input.description) ?? str(input.presentation_detail) ?? str(input.presentation_resume) ? { description: str(input.description) ?? str(input.presentation_detail) ?? str(input.presentation_resume) } : {}),
        ...(str(input.conditions_acces) ? { eligibility: str(input.conditions_acces) } : {})
      }
    },
    categories,
    audiences: publics.length === 1 && publics[0] === 'femmes' ? ['women_only'] : [],
    languages: ['fr'],
    free: frais.length ? frais.includes('gratuit') && frais.length === 1 : null,
    wheelchair: null,
    ...(str(input.lien_source) ? { url: str(input.lien_source) } : {}),
    ...(str(input.courriel) ? { email: str(input.courriel) } : {}),
    phones: phone ? [{ number: phone, display: str(input.telephone), kind: 'voice' }] : [],
    hours,
    hoursAlternative: null,
    location:
      str(input.adresse) || lat !== undefined
        ? {
            id: `${id ?? 'x'}-location`.slice(0, 100),
            ...(str(input.adresse) ? { address: str(input.adresse) } : {}),
            ...(str(input.code_postal) ? { postalCode: str(input.code_postal) } : {}),
            ...(str(input.commune) ? { city: str(input.commune) } : {}),
            ...(str(input.code_insee) ? { communeCode: str(input.code_insee) } : {}),
            ...(lat !== undefined && lon !== undefined ? { latitude: lat, longitude: lon } : {}),
            confidential: false
          }
        : null,
    region: /^(75|77|78|91|92|93|94|95)/.test(str(input.code_insee) ?? str(input.code_postal) ?? '') ? 'idf' : null,
    national: false,
    sample: false,
    lastVerifiedAt: str(input.date_maj) && Number.isFinite(Date.parse(String(input.date_maj))) ? new Date(String(input.date_maj)).toISOString() : (input.date_maj ?? null),
    lastVerifiedBy: str(input.date_maj) ? `data·inclusion (${source})` : null
  };
  const result = validateService(candidate, recordLabel);
  if (!result.ok) return { ok: false, issues: [...issues, ...result.issues] };
  if (issues.length) return { ok: false, issues };
  return result;
}
