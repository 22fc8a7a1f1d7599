import { existsSync, readFileSync } from 'node:fs';
import { BenchFile } from './files';
import { median } from './floors';
import { LeadFileSize } from './gen-leads';
import { seconds } from './progress';
import { FloorRow, ProbeRow, ResultRow, TargetRow } from './report';
import { SCENARIOS, ScenarioRecord } from './scenarios';

/** The table line of a scenario: median wall time, and its ratio to the floors of the same file and database. */
export function toResultRow(
  record: ScenarioRecord,
  floors: FloorRow[],
  files: Record<LeadFileSize, BenchFile>,
): ResultRow {
  const size = SCENARIOS.find((s) => s.key === record.scenario)?.size ?? 'small';
  const floor = floors.find((f) => f.database === record.database && f.file === files[size].label);
  const wallMs = median(record.runs.map((r) => r.ms));
  const rows = record.runs.find((r) => r.counts)?.counts?.totalRows ?? NaN;
  return {
    database: record.database,
    scenario: record.label,
    rows,
    wallMs,
    rowsPerSecond: rows / (wallMs / 1000),
    peakRssMb: record.peakRssMb,
    ratio: floor ? wallMs / (floor.parseMs + floor.writeMs) : NaN,
    problems: record.runs.flatMap((r) => r.problems),
  };
}

export function probeRows(records: ScenarioRecord[]): ProbeRow[] {
  return records
    .filter((record) => record.scenario === 'fresh')
    .map((record) => {
      const latencies = record.runs.flatMap((r) => r.probeMs ?? []);
      return {
        database: record.database,
        maxMs: latencies.length > 0 ? Math.max(...latencies) : NaN,
        medianMs: latencies.length > 0 ? median(latencies) : NaN,
        count: latencies.length,
        failures: record.runs.reduce((sum, r) => sum + (r.probeFailures ?? 0), 0),
      };
    });
}

/** The targets the import is being optimised towards, each met or missed. */
export function evaluateTargets(results: ResultRow[], probes: ProbeRow[]): TargetRow[] {
  const targets: TargetRow[] = [];
  for (const database of new Set(results.map((r) => r.database))) {
    const find = (scenario: string) => results.find((r) => r.database === database && r.scenario === scenario);
    const ratio = (scenario: string, limit: number) => {
      const row = find(scenario);
      if (row) {
        const name = `${database} ${scenario} ratio ≤ ${limit.toFixed(1)}`;
        targets.push({ name, measured: row.ratio.toFixed(2), met: row.ratio <= limit });
      }
    };
    ratio('fresh 12 MB', 1.6);
    const skip = find('re-import 12 MB, skip');
    if (skip) {
      const name = `${database} re-import 12 MB, skip ≤ 1.0 s`;
      targets.push({ name, measured: seconds(skip.wallMs), met: skip.wallMs <= 1000 });
    }
    ratio('re-import 12 MB, update', 2.0);
    ratio('fresh 50 MB', 2.0);
    for (const row of results.filter((r) => r.database === database)) {
      const limit = row.scenario === 'fresh 50 MB' ? 350 : 250;
      const name = `${database} ${row.scenario} server peak RSS ≤ ${limit} MB`;
      targets.push({ name, measured: `${row.peakRssMb.toFixed(0)} MB`, met: row.peakRssMb <= limit });
    }
  }
  for (const probe of probes.filter((p) => p.database === 'MariaDB')) {
    targets.push({
      name: `${probe.database} health probe during the fresh 12 MB import < 200 ms`,
      measured: `${probe.maxMs.toFixed(0)} ms max` + (probe.failures > 0 ? `, ${probe.failures} not 200` : ''),
      met: probe.maxMs < 200 && probe.failures === 0,
    });
  }
  return targets;
}

export interface ServerLogSummary {
  warnings: number;
  errors: number;
  samples: string[];
}

/** Counts the server's warn and error lines (pino JSON), so the report says whether anything went wrong. */
export function summariseServerLog(path: string): ServerLogSummary {
  if (!existsSync(path)) return { warnings: 0, errors: 0, samples: [] };
  let warnings = 0;
  let errors = 0;
  const samples = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
    if (level === 40) warnings++;
    else if (level >= 50) errors++;
    else continue;
    const message = /"err":\{"type":"\w+","message":"([^"]*)"/.exec(line)?.[1] ?? /"msg":"([^"]*)"/.exec(line)?.[1];
    if (samples.size < 10) samples.add(`${level === 40 ? 'warn' : 'error'}: ${message ?? line.slice(0, 200)}`);
  }
  return { warnings, errors, samples: [...samples] };
}
