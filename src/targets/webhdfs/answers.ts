// Answers parsed once per distinct text: a tree's paths mostly get the same GETACLSTATUS answer
// (owner, group, mode and entries), and looking its text up costs less than parsing it again.

/** Distinct answers kept; more start the memo over, so memory stays bounded. */
const ANSWERS_MAX = 10_000;

export class ParsedAnswers<T extends object> {
  private readonly byText = new Map<string, T>();

  constructor(private readonly parse: (text: string) => T) {}

  /** The parsed answer, frozen (with its arrays) because every path with the same answer shares it. */
  get(text: string): T {
    let value = this.byText.get(text);
    if (!value) {
      value = deepFreeze(this.parse(text));
      if (this.byText.size >= ANSWERS_MAX) this.byText.clear();
      this.byText.set(text, value);
    }
    return value;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
