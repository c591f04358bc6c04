export {
  defineTool,
  ToolArgumentsError,
  type PermissionRequest,
  type ToolArgumentIssue,
  type ToolContext,
  type ToolDefinition,
  type ToolDescriptionContext,
  type ToolOutput,
} from './define-tool.js';
export { parseToolArguments } from './parse-tool-arguments.js';
export { runToolCall, type PermissionCheck, type ToolCallResult } from './run-tool-call.js';
export { sessionToolSpecs, toolSpecs, toolsById, type FunctionToolSpec } from './tool-registry.js';
export { truncateOutput, MAX_OUTPUT_BYTES, MAX_OUTPUT_LINES } from './truncate-output.js';
export { pathPermissions, resolveWorkspacePath, type WorkspacePath } from './workspace-path.js';
