// Types of scripts/check-package-contents.js, for the unit tests that exercise it.
export interface ZipEntry {
  method: number;
  compressedSize: number;
  offset: number;
}
export function readmeImages(markdown: string): string[];
export function zipEntries(zip: Buffer): Map<string, ZipEntry>;
export function zipRead(zip: Buffer, entries: Map<string, ZipEntry>, name: string): Buffer | null;
export function pngSize(bytes: Buffer): { width: number; height: number } | null;
export function vsixProblems(zip: Buffer): string[];
export function listingProblems(files: string[], images: string[]): string[];
export function vsceListing(root?: string): string[];
