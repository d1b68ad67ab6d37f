// A larger young generation for the index's threads: they allocate many short-lived objects while parsing
// and inserting, and fewer, larger scavenges cost less than many small ones.
export const YOUNG_GENERATION = { maxYoungGenerationSizeMb: Number(process.env.VLM4D_YOUNG_GEN_MB) || 64 };
