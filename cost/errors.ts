/** A file handed to a cost command (a base plan, a billing export) that it cannot use: exit code 2, its message alone. */
export class InputFileError extends Error {}
