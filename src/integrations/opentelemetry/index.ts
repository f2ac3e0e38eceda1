// Entry point: filled in by its issue (see issues 4 and 5).
export {};
