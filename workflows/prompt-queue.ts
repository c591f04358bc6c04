/** Follow-up prompts sent to a running session; each resolves with the answer the session gives to it. */
export class PromptQueue {
  private queued: { prompt: string; resolve(answer: string): void }[] = [];
  private inFlight: { prompt: string; resolve(answer: string): void }[] = [];

  get idle(): boolean {
    return this.queued.length === 0 && this.inFlight.length === 0;
  }

  get hasQueued(): boolean {
    return this.queued.length > 0;
  }

  enqueue(prompt: string): Promise<string> {
    return new Promise((resolve) => this.queued.push({ prompt, resolve }));
  }

  /** Moves the queued prompts into the conversation's next turn. */
  take(): string[] {
    this.inFlight.push(...this.queued);
    this.queued = [];
    return this.inFlight.map((entry) => entry.prompt);
  }

  answer(text: string): void {
    for (const entry of this.inFlight) entry.resolve(text);
    this.inFlight = [];
  }
}
