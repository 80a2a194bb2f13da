import { answerFor, procedureListing, type DeadlineAnswer } from '../../src/lib/deadlines/answer';
import { DeadlineInputError } from '../../src/lib/deadlines/engine';
import { factValues, procedures } from '../../src/lib/deadlines/rules';
import { isLocale, localeCodes, sourceLocale, type LocaleCode } from '../../src/lib/i18n/locales';
import { translator, type Translate } from '../../src/lib/i18n/translate';
import { EXIT_OK, UsageError, printJson, type Command, type Io } from '../command';

/** Engine field → the option that sets it, to name the problem in her words. */
const optionOf: Record<string, string> = {
  procedure: '<procedure>',
  notified: '--notified',
  custody: '--custody',
  departure_period: '--departure-period',
  departurePeriod: '--departure-period'
};

function printAnswer(io: Io, a: DeadlineAnswer, t: Translate): void {
  io.out(a.procedure_name);
  io.out(`${t('deadlines.result.deadline')}: ${a.deadline_text} (${t('deadlines.result.french_time')}) — ${a.deadline}`);
  io.out(`${t('deadlines.result.time_left')}: ${a.remaining_text}`);
  io.out(`${t('deadlines.result.how_counted')}: ${a.counting.explanation.text}`);
  for (const alt of a.alternatives) io.out(`  ${t('deadlines.result.other_readings')}: ${alt.deadline_text} — ${alt.reason}`);
  for (const w of a.warnings) io.out(`! ${w.text}`);
  a.steps.forEach((s, i) => io.out(`${i + 1}. ${s.text}`));
  io.out(`${a.rule.id} · ${a.rule.legal_basis} · ${a.rule.last_checked_text} · ${a.rule.confidence_text.text}`);
  io.out(a.disclaimer.text);
}

export const deadlineCommand: Command = {
  name: 'deadline',
  summary: 'work out a legal deadline (the calculator of the guide), or list the procedures and rule versions',
  usage:
    'relais deadline <procedure> --notified <ISO date-time> [--custody free|assigned|prison|retention] ' +
    '[--departure-period granted|none] [--lang fr|en|pcm] [--json]\n       relais deadline --list [--json]\n\n' +
    'A --notified without an offset is French time. Exit codes: 0 ok, 2 bad input.',
  allowPositionals: true,
  options: {
    notified: { type: 'string' },
    custody: { type: 'string' },
    'departure-period': { type: 'string' },
    lang: { type: 'string' },
    list: { type: 'boolean' }
  },
  async run({ values, positionals, io }) {
    const lang = typeof values.lang === 'string' ? values.lang : sourceLocale;
    if (!isLocale(lang)) throw new UsageError(`--lang "${lang}" is not one of ${localeCodes.join(', ')}`);
    const t = translator(lang as LocaleCode);

    if (values.list) {
      if (positionals.length > 0) throw new UsageError('--list takes no procedure');
      const listing = procedureListing(t);
      if (values.json) {
        printJson(io, { procedures: listing });
      } else {
        for (const p of listing) {
          io.out(`${p.procedure} — ${p.name}`);
          for (const v of p.versions) io.out(`  ${v.id}  ${v.in_force_from} → ${v.in_force_to ?? 'now'}  ${v.counting.method} ${v.counting.amount}  (${v.confidence})`);
        }
      }
      return EXIT_OK;
    }

    if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give one procedure only' : 'give a procedure, or --list');
    if (typeof values.notified !== 'string') throw new UsageError('--notified <ISO date-time> is missing');
    try {
      const answer = answerFor(
        {
          procedure: positionals[0],
          notified: values.notified,
          custody: typeof values.custody === 'string' ? values.custody : undefined,
          departure_period: typeof values['departure-period'] === 'string' ? values['departure-period'] : undefined
        },
        t
      );
      if (values.json) printJson(io, answer);
      else printAnswer(io, answer, t);
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof DeadlineInputError)) throw error;
      const option = optionOf[error.field] ?? error.field;
      // One line naming the option, the code scripts can test, and the reason in her words.
      const accepted =
        error.code === 'unknown_procedure'
          ? ` (${procedures.join(', ')})`
          : error.code === 'invalid_fact' && error.field === 'custody'
            ? ` (${factValues.custody.join(', ')})`
            : error.code === 'invalid_fact'
              ? ` (${factValues.departure_period.join(', ')})`
              : '';
      throw new UsageError(`${error.code}: ${option}: ${t(`deadlines.error.${error.code}`)}${accepted}`);
    }
  }
};
