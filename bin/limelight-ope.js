#!/usr/bin/env node
// Runs the TypeScript ope command in place: registers tsx's loader, then imports the entry point.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/ope.ts');
