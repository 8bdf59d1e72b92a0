import type { Schemas } from '../api/schema-validator.js';

/** The report's shapes, as declared in `openapi.yaml`. */
export type Report = Schemas['Report'];
export type ReportPolicyArm = Schemas['ReportPolicyArm'];
export type ReportInterval = Schemas['ReportInterval'];
export type ReportComparison = Schemas['ReportComparison'];
export type SampleRatioMismatch = Schemas['SampleRatioMismatch'];
export type ReportTimeSeries = Schemas['ReportTimeSeries'];
export type Leaderboard = Schemas['Leaderboard'];
export type LeaderboardEntry = Schemas['LeaderboardEntry'];
