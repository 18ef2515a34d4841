import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CORSICA, MAINLAND } from './france-outline';
import { boundsFor, FRANCE, inWindow, projection, type LatLng } from './geo';

export interface MapPoint {
  id: string;
  name: string;
  /** Written beside a dot outside France (a supplier in Porto), where no outline says where it is. */
  place?: string;
  at: LatLng;
  atp: number;
  onHand: number;
}

const WIDTH = 600;
export const DOT_COLOURS = { available: 'var(--mantine-color-teal-6)', held: 'var(--mantine-color-orange-6)', none: 'var(--mantine-color-gray-5)' };

const dotColour = (p: MapPoint) => (p.atp > 0 ? DOT_COLOURS.available : p.onHand > 0 ? DOT_COLOURS.held : DOT_COLOURS.none);

/**
 * Locations on an outline of France drawn from their latitude and longitude: a dot grows with
 * its ATP, its colour says whether it can sell (teal), holds only reserved or safety stock (orange) or
 * has none (grey). Clicking a dot picks it (as the origin of the distance list).
 */
export function FranceMap({ points, origin, selectedId, onSelect }: { points: MapPoint[]; origin: LatLng | null; selectedId?: string | null; onSelect?: (id: string) => void }) {
  const { t } = useTranslation('inventory');
  const shown = points.filter((p) => inWindow(p.at));
  const proj = projection(boundsFor([...shown.map((p) => p.at), ...(origin && inWindow(origin) ? [origin] : [])]), WIDTH);
  const path = (ring: readonly (readonly [number, number])[]) => `M${ring.map(([lon, lat]) => `${proj.x(lon).toFixed(1)},${proj.y(lat).toFixed(1)}`).join('L')}Z`;
  // Logarithmic: a store with 3 units and one with 30 look different even beside a warehouse with 3,000.
  const radius = (p: MapPoint) => Math.min(16, 3.5 + 2.6 * Math.log2(1 + p.atp));
  // Big dots first, so the small ones drawn after stay clickable on top.
  const ordered = [...shown].sort((a, b) => radius(b) - radius(a));
  const hidden = points.length - shown.length;
  return (
    <Box>
      <svg viewBox={`0 0 ${WIDTH} ${proj.height.toFixed(0)}`} width="100%" role="img" aria-label={t('map.label', { count: shown.length })} style={{ display: 'block', maxHeight: 520 }}>
        <path d={path(MAINLAND)} fill="var(--mantine-color-gray-1)" stroke="var(--mantine-color-gray-5)" strokeWidth={1} />
        <path d={path(CORSICA)} fill="var(--mantine-color-gray-1)" stroke="var(--mantine-color-gray-5)" strokeWidth={1} />
        {ordered.map((p) => (
          <circle
            key={p.id}
            cx={proj.x(p.at.longitude)}
            cy={proj.y(p.at.latitude)}
            r={radius(p)}
            fill={dotColour(p)}
            fillOpacity={p.atp > 0 ? 0.75 : 0.55}
            stroke={p.id === selectedId ? 'var(--mantine-color-dark-7)' : 'white'}
            strokeWidth={p.id === selectedId ? 2.5 : 1}
            style={{ cursor: onSelect ? 'pointer' : undefined }}
            onClick={onSelect ? () => onSelect(p.id) : undefined}
          >
            <title>{t('map.dot', { name: p.name, atp: p.atp, onHand: p.onHand })}</title>
          </circle>
        ))}
        {shown
          .filter((p) => p.place && (p.at.longitude < FRANCE.west || p.at.longitude > FRANCE.east || p.at.latitude < FRANCE.south || p.at.latitude > FRANCE.north))
          .map((p) => (
            <text key={`label-${p.id}`} x={proj.x(p.at.longitude) + radius(p) + 4} y={proj.y(p.at.latitude) + 4} fontSize={12} fill="var(--mantine-color-dimmed)">
              {p.place}
            </text>
          ))}
        {origin && inWindow(origin) && (
          <g transform={`translate(${proj.x(origin.longitude)},${proj.y(origin.latitude)})`} aria-hidden="true">
            <circle r={6} fill="none" stroke="var(--mantine-color-indigo-7)" strokeWidth={2} />
            <path d="M-10,0H10M0,-10V10" stroke="var(--mantine-color-indigo-7)" strokeWidth={2} />
          </g>
        )}
      </svg>
      <Group gap="md" mt="xs" wrap="wrap">
        {(['available', 'held', 'none'] as const).map((k) => (
          <Group key={k} gap={6} wrap="nowrap">
            <svg width={12} height={12} aria-hidden="true">
              <circle cx={6} cy={6} r={5} fill={DOT_COLOURS[k]} />
            </svg>
            <Text size="xs" c="dimmed">
              {t(`map.legend.${k}`)}
            </Text>
          </Group>
        ))}
        <Text size="xs" c="dimmed">
          {t('map.legend.size')}
        </Text>
        {hidden > 0 && (
          <Text size="xs" c="dimmed">
            {t('map.hidden', { count: hidden })}
          </Text>
        )}
      </Group>
    </Box>
  );
}
