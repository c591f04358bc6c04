export const compactionPrompt = `You summarise a long agent conversation so the work can continue in a fresh context. The summary replaces the older turns: anything you leave out is lost.

Write a compact but complete hand-over. Include the user's goal and any constraints or preferences they stated; what has been done so far, with the files, commands and decisions involved; what was tried and failed, and why; the current state of the work, including open todos; and the next step that was about to be taken. Keep exact identifiers: file paths, function names, error messages, ids of delegated tasks.

Write in plain prose and short lists. Do not call tools, do not continue the work, and do not add advice of your own.`;
