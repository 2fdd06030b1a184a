import { fractionToPercent } from '../format';
import type { SloObjectives } from './definition';

// Apart from the form's schema (objectives-form.ts): the browser's form needs only these values,
// and the schema would bring zod into the SLO page's first load.

/** The form's starting values from stored objectives. */
export function objectivesFormValues(objectives: SloObjectives) {
  return {
    availabilityObjectivePercent: fractionToPercent(objectives.availabilityObjective),
    latencyObjectivePercent: fractionToPercent(objectives.latencyObjective),
    latencyThresholdMs: objectives.latencyThresholdMs,
    windowDays: objectives.windowDays,
  };
}
