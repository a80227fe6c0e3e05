export * from "./budget-lines";
export * from "./ses-categories";
export * from "./tags";
export * from "./render";
export * from "./taggable";
