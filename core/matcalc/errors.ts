/** A construct the engine refuses (said so, never guessed). */
export class Unsupported extends Error {}
