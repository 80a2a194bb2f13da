/**
 * Communes and Paris arrondissements she can choose to search near: INSEE code, name,
 * approximate centroid (content/directory/places.json). Distance is computed on the
 * server from the chosen place, never from her position.
 */
import data from '../../../../content/directory/places.json';

export interface Place {
  code: string;
  name: string;
  region: string;
  lat: number;
  lon: number;
}

export const places: readonly Place[] = data.places;

export function findPlace(code: string): Place | undefined {
  return places.find((p) => p.code === code);
}

/** The snapshot regions we ship (services of a region, plus the national lines). */
export const regions = [...new Set(places.map((p) => p.region))];
