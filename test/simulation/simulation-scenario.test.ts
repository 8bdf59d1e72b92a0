import { describe, expect, it } from 'vitest';
import { findScenario, SIMULATION_SCENARIOS } from '../../src/simulation/simulation-scenario.js';

describe('findScenario', () => {
  it('gates the standard scenario, with no silent non-clicks, and only reports the stress one', () => {
    expect(findScenario('standard')).toEqual({ name: 'standard', silentNonClick: 0, gated: true, resultsName: 'simulate' });
    expect(findScenario('silent-non-clicks')).toEqual({ name: 'silent-non-clicks', silentNonClick: 0.5, gated: false, resultsName: 'simulate-silent-non-clicks' });
  });

  it('knows no other name, and gives each scenario a results file of its own', () => {
    expect(findScenario('Standard')).toBeUndefined();
    expect(findScenario('')).toBeUndefined();
    expect(new Set(SIMULATION_SCENARIOS.map((scenario) => scenario.resultsName)).size).toBe(SIMULATION_SCENARIOS.length);
  });
});
