/** The CI run that started a session: its id becomes the OrcaCiRunId search attribute. */
export interface CiRun {
  id: string;
  /** Where the run can be seen, when the CI system tells. */
  url?: string;
  provider: string;
}

const nonEmpty = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** Known CI systems, most specific first; each names the variable holding its run id. */
const PROVIDERS: { provider: string; id: string; url?: (env: NodeJS.ProcessEnv) => string | undefined }[] = [
  { provider: 'orca', id: 'ORCA_CI_RUN_ID' },
  {
    provider: 'github-actions',
    id: 'GITHUB_RUN_ID',
    url: (env) => env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`,
  },
  { provider: 'gitlab', id: 'CI_PIPELINE_ID', url: (env) => env.CI_PIPELINE_URL },
  { provider: 'buildkite', id: 'BUILDKITE_BUILD_ID', url: (env) => env.BUILDKITE_BUILD_URL },
  { provider: 'circleci', id: 'CIRCLE_WORKFLOW_ID' },
  { provider: 'azure-pipelines', id: 'BUILD_BUILDID' },
  { provider: 'jenkins', id: 'BUILD_ID', url: (env) => env.BUILD_URL },
];

/** `--ci-run-id` wins; otherwise the run id of the CI system this process runs in, if any. */
export function detectCiRun(env: NodeJS.ProcessEnv = process.env, explicit?: string): CiRun | undefined {
  const given = nonEmpty(explicit);
  if (given) return { id: given, provider: 'flag' };
  for (const { provider, id, url } of PROVIDERS) {
    const value = nonEmpty(env[id]);
    if (value) return { id: value, provider, url: nonEmpty(url?.(env)) };
  }
  return undefined;
}
