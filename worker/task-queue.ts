export const DEFAULT_TASK_QUEUE = 'orca';
