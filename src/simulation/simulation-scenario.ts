/** How the simulated population reports rewards, and whether the bar applies to the result. */
export interface SimulationScenario {
  name: 'standard' | 'silent-non-clicks';
  /** Share of non-clicks never posted; their zeros reach the model only when the window closes. */
  silentNonClick: number;
  /** Whether a learning policy arm must reach the bar (a stress scenario is measured, not gated). */
  gated: boolean;
  /** `bench/results/<resultsName>.md`, and `<resultsName>-<stream>.svg` for each stream. */
  resultsName: string;
}

/**
 * The scenario, gated: every outcome is posted after a random delay, some never (the lost
 * ones), some twice. And the stress scenario: a client that reports only clicks leaves half the
 * non-clicks silent, so their zeros arrive as defaults a whole attribution window late.
 */
export const SIMULATION_SCENARIOS: readonly SimulationScenario[] = [
  { name: 'standard', silentNonClick: 0, gated: true, resultsName: 'simulate' },
  { name: 'silent-non-clicks', silentNonClick: 0.5, gated: false, resultsName: 'simulate-silent-non-clicks' },
];

/** The scenario called `name`, or undefined. */
export function findScenario(name: string): SimulationScenario | undefined {
  return SIMULATION_SCENARIOS.find((scenario) => scenario.name === name);
}
