/**
 * The procedures a woman goes through, as typed state machines (issue 6). Pure data: the
 * machine in `machine.ts` replays steps against these definitions. Every structured field
 * exists so that anonymous statistics can be counted without reading any note; notes are
 * free text, encrypted by the server, and never part of a definition.
 *
 * Message keys: `case.procedure.<kind>`, `case.state.<kind>.<state>`,
 * `case.transition.<kind>.<id>`, `case.field.<name>`, `case.choice.<name>.<value>`,
 * `case.deadline.<key>`.
 */
import type { DurationId } from './durations';

export const PROCEDURE_KINDS = [
  'exit_programme',
  'exit_aid',
  'victim_residence',
  'accommodation',
  'removal_order',
  'asylum',
  'complaint',
  'compensation',
  'other'
] as const;
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number];

export function isProcedureKind(value: unknown): value is ProcedureKind {
  return typeof value === 'string' && (PROCEDURE_KINDS as readonly string[]).includes(value);
}

/** Closed lists: what a statistic can count. `unknown` is always a valid answer where it is listed. */
export const CHOICES = {
  refusal_reason: ['not_stopped', 'no_complaint', 'links_not_cut', 'public_order', 'incomplete_file', 'other', 'unknown'],
  end_reason: ['completed', 'stopped_by_her', 'stopped_by_authority', 'moved_away', 'lost_contact', 'other'],
  opinion: ['favourable', 'unfavourable', 'unknown'],
  custody: ['free', 'assigned', 'prison', 'retention'],
  departure_period: ['granted', 'none'],
  place_kind: ['emergency_shelter', 'long_stay_shelter', 'hotel', 'secure_shelter', 'housing', 'other'],
  request_to: ['115', 'siao', 'acse', 'other'],
  complaint_where: ['police', 'gendarmerie', 'prosecutor'],
  judgment_outcome: ['annulled', 'rejected', 'partly_annulled'],
  criminal_outcome: ['conviction', 'acquittal'],
  protection: ['refugee', 'subsidiary'],
  compensation_outcome: ['granted', 'partly_granted', 'refused'],
  other_category: ['health', 'training', 'work', 'school', 'administrative', 'other']
} as const satisfies Record<string, readonly string[]>;
export type ChoiceName = keyof typeof CHOICES;

export type FieldSpec =
  | { name: string; type: 'date' | 'datetime' | 'department'; required: boolean }
  | { name: ChoiceName; type: 'choice'; required: boolean };

/** When a deadline falls. Dates without a time are read as Paris days. */
export type DueSpec =
  /** `amount` of a duration from `procedure-durations.json`, after (or before, sign -1) the step's date or a date field. */
  | { kind: 'offset'; from: 'at' | { field: string }; duration: DurationId; sign?: 1 | -1 }
  /** The date in a field (a permit's end, a hearing): the end of that day. */
  | { kind: 'field'; field: string }
  /** A legal deadline computed by the guide's engine (`src/lib/deadlines`), hour-exact. */
  | { kind: 'legal'; procedure: 'oqtf' | 'cnda' | 'reflection-period' | 'civi'; notified: 'at' | { field: string }; facts?: Record<string, string> };

export type DeadlineCategory = 'legal' | 'administrative' | 'waiting' | 'appointment';

export interface DeadlineSpec {
  key: string;
  category: DeadlineCategory;
  due: DueSpec;
  /** The deadline stays open while the procedure is in one of these states. */
  openWhile: readonly string[];
}

export interface TransitionDefinition {
  id: string;
  /** States it may leave from; '*' = any state that is not terminal. */
  from: readonly string[] | '*';
  to: string;
  fields?: readonly FieldSpec[];
  deadlines?: readonly DeadlineSpec[];
  /** A permit's end must stay within the exit programme's 24 months. */
  limit?: 'exit_programme_max';
}

export interface ProcedureDefinition {
  kind: ProcedureKind;
  initial: string;
  states: readonly string[];
  terminal: readonly string[];
  transitions: readonly TransitionDefinition[];
}

const end: TransitionDefinition = { id: 'end', from: '*', to: 'ended', fields: [{ name: 'end_reason', type: 'choice', required: true }] };
const req = (name: string, type: 'date' | 'datetime' | 'department'): FieldSpec => ({ name, type, required: true });
const opt = (name: string, type: 'date' | 'datetime' | 'department'): FieldSpec => ({ name, type, required: false });
const choice = (name: ChoiceName, required = true): FieldSpec => ({ name, type: 'choice', required });

const permitDeadlines = (holding: string, renewing: string): DeadlineSpec[] => [
  { key: 'start_renewal', category: 'administrative', due: { kind: 'offset', from: { field: 'valid_to' }, duration: 'renewal_lead', sign: -1 }, openWhile: [holding] },
  { key: 'permit_expires', category: 'administrative', due: { kind: 'field', field: 'valid_to' }, openWhile: [holding, renewing] }
];

export const PROCEDURES: Record<ProcedureKind, ProcedureDefinition> = {
  exit_programme: {
    kind: 'exit_programme',
    initial: 'preparing',
    states: ['preparing', 'submitted', 'commission_scheduled', 'awaiting_decision', 'no_answer', 'accepted', 'refused', 'permit_issued', 'renewal_requested', 'ended'],
    terminal: ['ended'],
    transitions: [
      {
        id: 'submit',
        from: ['preparing', 'refused'],
        to: 'submitted',
        fields: [req('department', 'department')],
        deadlines: [{ key: 'commission_wait', category: 'waiting', due: { kind: 'offset', from: 'at', duration: 'commission_wait' }, openWhile: ['submitted'] }]
      },
      {
        id: 'schedule_commission',
        from: ['submitted'],
        to: 'commission_scheduled',
        fields: [req('commission_date', 'date')],
        deadlines: [{ key: 'commission', category: 'appointment', due: { kind: 'field', field: 'commission_date' }, openWhile: ['commission_scheduled'] }]
      },
      {
        id: 'hold_commission',
        from: ['commission_scheduled'],
        to: 'awaiting_decision',
        fields: [choice('opinion')],
        deadlines: [{ key: 'decision_wait', category: 'waiting', due: { kind: 'offset', from: 'at', duration: 'decision_wait' }, openWhile: ['awaiting_decision'] }]
      },
      { id: 'record_no_answer', from: ['awaiting_decision'], to: 'no_answer' },
      { id: 'accept', from: ['awaiting_decision', 'no_answer'], to: 'accepted' },
      { id: 'refuse', from: ['awaiting_decision', 'no_answer', 'renewal_requested'], to: 'refused', fields: [choice('refusal_reason')] },
      {
        id: 'issue_permit',
        from: ['accepted'],
        to: 'permit_issued',
        fields: [req('valid_from', 'date'), req('valid_to', 'date')],
        deadlines: permitDeadlines('permit_issued', 'renewal_requested'),
        limit: 'exit_programme_max'
      },
      { id: 'request_renewal', from: ['permit_issued'], to: 'renewal_requested' },
      {
        id: 'renew',
        from: ['renewal_requested'],
        to: 'permit_issued',
        fields: [req('valid_from', 'date'), req('valid_to', 'date')],
        deadlines: permitDeadlines('permit_issued', 'renewal_requested'),
        limit: 'exit_programme_max'
      },
      end
    ]
  },
  exit_aid: {
    kind: 'exit_aid',
    initial: 'not_requested',
    states: ['not_requested', 'requested', 'paid', 'refused', 'stopped', 'ended'],
    terminal: ['ended'],
    transitions: [
      { id: 'request', from: ['not_requested', 'refused', 'stopped'], to: 'requested' },
      { id: 'start_payment', from: ['requested'], to: 'paid' },
      { id: 'refuse', from: ['requested'], to: 'refused', fields: [choice('refusal_reason')] },
      { id: 'stop', from: ['paid'], to: 'stopped', fields: [choice('end_reason')] },
      end
    ]
  },
  victim_residence: {
    kind: 'victim_residence',
    initial: 'identified',
    states: ['identified', 'reflection', 'complaint_filed', 'card_requested', 'receipt', 'card_issued', 'renewal_requested', 'refused', 'resident_card', 'ended'],
    terminal: ['ended'],
    transitions: [
      {
        id: 'start_reflection',
        from: ['identified'],
        to: 'reflection',
        fields: [req('notified_at', 'datetime')],
        deadlines: [{ key: 'reflection_ends', category: 'legal', due: { kind: 'legal', procedure: 'reflection-period', notified: { field: 'notified_at' } }, openWhile: ['reflection'] }]
      },
      { id: 'file_complaint', from: ['identified', 'reflection'], to: 'complaint_filed', fields: [choice('complaint_where'), req('department', 'department')] },
      { id: 'request_card', from: ['complaint_filed', 'refused'], to: 'card_requested', fields: [req('department', 'department')] },
      {
        id: 'issue_receipt',
        from: ['card_requested', 'renewal_requested'],
        to: 'receipt',
        fields: [req('valid_to', 'date')],
        deadlines: [{ key: 'receipt_expires', category: 'administrative', due: { kind: 'field', field: 'valid_to' }, openWhile: ['receipt'] }]
      },
      {
        id: 'issue_card',
        from: ['card_requested', 'receipt', 'renewal_requested'],
        to: 'card_issued',
        fields: [req('valid_from', 'date'), req('valid_to', 'date')],
        deadlines: permitDeadlines('card_issued', 'renewal_requested')
      },
      { id: 'refuse_card', from: ['card_requested', 'receipt', 'renewal_requested'], to: 'refused', fields: [choice('refusal_reason')] },
      { id: 'request_renewal', from: ['card_issued'], to: 'renewal_requested' },
      { id: 'issue_resident_card', from: ['card_issued', 'renewal_requested', 'receipt'], to: 'resident_card', fields: [req('valid_from', 'date')] },
      end
    ]
  },
  accommodation: {
    kind: 'accommodation',
    initial: 'needed',
    states: ['needed', 'requested', 'placed', 'ended'],
    terminal: ['ended'],
    transitions: [
      {
        id: 'request',
        from: ['needed'],
        to: 'requested',
        fields: [choice('request_to'), opt('department', 'department')],
        deadlines: [{ key: 'shelter_wait', category: 'waiting', due: { kind: 'offset', from: 'at', duration: 'shelter_wait' }, openWhile: ['requested'] }]
      },
      { id: 'place', from: ['requested'], to: 'placed', fields: [choice('place_kind'), opt('department', 'department')] },
      { id: 'end_placement', from: ['placed'], to: 'needed', fields: [choice('end_reason')] },
      end
    ]
  },
  removal_order: {
    kind: 'removal_order',
    initial: 'new',
    states: ['new', 'received', 'appeal_filed', 'hearing_scheduled', 'judged', 'ended'],
    terminal: ['ended'],
    transitions: [
      {
        id: 'receive',
        from: ['new'],
        to: 'received',
        fields: [req('notified_at', 'datetime'), choice('custody'), choice('departure_period', false), opt('department', 'department')],
        deadlines: [
          {
            key: 'removal_appeal',
            category: 'legal',
            due: { kind: 'legal', procedure: 'oqtf', notified: { field: 'notified_at' }, facts: { custody: 'custody', departurePeriod: 'departure_period' } },
            openWhile: ['received']
          }
        ]
      },
      { id: 'file_appeal', from: ['received'], to: 'appeal_filed' },
      {
        id: 'schedule_hearing',
        from: ['appeal_filed'],
        to: 'hearing_scheduled',
        fields: [req('hearing_date', 'date')],
        deadlines: [{ key: 'hearing', category: 'appointment', due: { kind: 'field', field: 'hearing_date' }, openWhile: ['hearing_scheduled'] }]
      },
      { id: 'judge', from: ['appeal_filed', 'hearing_scheduled'], to: 'judged', fields: [choice('judgment_outcome')] },
      end
    ]
  },
  asylum: {
    kind: 'asylum',
    initial: 'new',
    states: ['new', 'registered', 'ofpra_filed', 'interview_scheduled', 'protected', 'rejected', 'cnda_appeal_filed', 'cnda_rejected', 'ended'],
    terminal: ['ended'],
    transitions: [
      {
        id: 'register',
        from: ['new'],
        to: 'registered',
        fields: [req('department', 'department')],
        deadlines: [{ key: 'ofpra_filing', category: 'legal', due: { kind: 'offset', from: 'at', duration: 'ofpra_filing' }, openWhile: ['registered'] }]
      },
      { id: 'file_ofpra', from: ['registered'], to: 'ofpra_filed' },
      {
        id: 'schedule_interview',
        from: ['ofpra_filed'],
        to: 'interview_scheduled',
        fields: [req('interview_date', 'date')],
        deadlines: [{ key: 'interview', category: 'appointment', due: { kind: 'field', field: 'interview_date' }, openWhile: ['interview_scheduled'] }]
      },
      { id: 'grant', from: ['ofpra_filed', 'interview_scheduled', 'cnda_appeal_filed'], to: 'protected', fields: [choice('protection')] },
      {
        id: 'reject',
        from: ['ofpra_filed', 'interview_scheduled'],
        to: 'rejected',
        fields: [req('notified_at', 'datetime')],
        deadlines: [{ key: 'cnda_appeal', category: 'legal', due: { kind: 'legal', procedure: 'cnda', notified: { field: 'notified_at' } }, openWhile: ['rejected'] }]
      },
      { id: 'appeal_cnda', from: ['rejected'], to: 'cnda_appeal_filed' },
      { id: 'cnda_reject', from: ['cnda_appeal_filed'], to: 'cnda_rejected' },
      end
    ]
  },
  complaint: {
    kind: 'complaint',
    initial: 'new',
    states: ['new', 'filed', 'dismissed', 'trial_scheduled', 'judged', 'ended'],
    terminal: ['ended'],
    transitions: [
      { id: 'file', from: ['new'], to: 'filed', fields: [choice('complaint_where'), req('department', 'department')] },
      { id: 'dismiss', from: ['filed'], to: 'dismissed' },
      {
        id: 'schedule_trial',
        from: ['filed'],
        to: 'trial_scheduled',
        fields: [req('trial_date', 'date')],
        deadlines: [{ key: 'trial', category: 'appointment', due: { kind: 'field', field: 'trial_date' }, openWhile: ['trial_scheduled'] }]
      },
      { id: 'judge', from: ['trial_scheduled'], to: 'judged', fields: [choice('criminal_outcome')] },
      end
    ]
  },
  compensation: {
    kind: 'compensation',
    initial: 'new',
    states: ['new', 'eligible', 'claim_filed', 'decided', 'ended'],
    terminal: ['ended'],
    transitions: [
      {
        id: 'open_window',
        from: ['new'],
        to: 'eligible',
        fields: [req('offence_date', 'datetime')],
        deadlines: [{ key: 'compensation_claim', category: 'legal', due: { kind: 'legal', procedure: 'civi', notified: { field: 'offence_date' } }, openWhile: ['eligible'] }]
      },
      { id: 'file_claim', from: ['new', 'eligible'], to: 'claim_filed' },
      { id: 'decide', from: ['claim_filed'], to: 'decided', fields: [choice('compensation_outcome')] },
      end
    ]
  },
  other: {
    kind: 'other',
    initial: 'new',
    states: ['new', 'open', 'done', 'ended'],
    terminal: ['done', 'ended'],
    transitions: [
      {
        id: 'start',
        from: ['new'],
        to: 'open',
        fields: [choice('other_category'), opt('due_date', 'date')],
        deadlines: [{ key: 'due_date', category: 'administrative', due: { kind: 'field', field: 'due_date' }, openWhile: ['open'] }]
      },
      { id: 'record_progress', from: ['open'], to: 'open' },
      { id: 'finish', from: ['open'], to: 'done' },
      end
    ]
  }
};

/** The transitions allowed from `state` (the form offers only these). */
export function transitionsFrom(kind: ProcedureKind, state: string): TransitionDefinition[] {
  const definition = PROCEDURES[kind];
  if (definition.terminal.includes(state)) return [];
  return definition.transitions.filter((t) => t.from === '*' || t.from.includes(state));
}
