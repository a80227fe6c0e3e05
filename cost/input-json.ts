/** Reads a JSON file handed to a cost command, or fails with an InputFileError naming the option and the file. */
import * as fs from "fs";
import { InputFileError } from "./errors";

/** `what`: the option that named the file ("--compare"); `expected`: what the file should be, for the message. */
export function readJsonFile(file: string, what: string, expected: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputFileError(`${what} ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputFileError(`${what} ${file}: not JSON (${(err as Error).message}); expected ${expected}`);
  }
}
