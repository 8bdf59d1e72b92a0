import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that self time needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileFrame {
  name: string;
  /** `file:line` (or the file alone when the line is unknown), relative to the project root for its own files. */
  where: string;
  /** Self time as a share of the non-idle sampled time. */
  share: number;
}

/**
 * Self time per frame (function, file, line) of a V8 CPU profile, largest first: each sample is charged
 * its time delta to the frame on top of the stack. `(idle)` is left out of the shares and given apart.
 */
export function summariseProfile(profile: CpuProfile, root: string): { frames: ProfileFrame[]; idleShare: number } {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, { name: string; where: string; micros: number }>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((nodeId, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const frame = frameOf.get(nodeId);
    if (!frame) return;
    total += micros;
    if (frame.functionName === '(idle)') {
      idle += micros;
      return;
    }
    // tsx-compiled files report line 0 for every frame: their file alone is what is known.
    const where = !frame.url ? '' : frame.lineNumber > 0 ? `${shortUrl(frame.url, root)}:${frame.lineNumber + 1}` : shortUrl(frame.url, root);
    const key = `${frame.functionName}@${where}`;
    const entry = self.get(key) ?? { name: frame.functionName || '(anonymous)', where, micros: 0 };
    entry.micros += micros;
    self.set(key, entry);
  });
  const busy = total - idle;
  const frames = [...self.values()]
    .sort((x, y) => y.micros - x.micros)
    .map(({ name, where, micros }) => ({ name, where, share: busy > 0 ? micros / busy : 0 }));
  return { frames, idleShare: total > 0 ? idle / total : 0 };
}

function shortUrl(url: string, root: string): string {
  if (!url.startsWith('file://')) return url;
  return relative(root, fileURLToPath(url));
}
