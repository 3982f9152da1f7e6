import { Skeleton, Table } from '@mantine/core';

interface TableSkeletonProps {
  columns: number;
  rows?: number;
}

/** Placeholder rows that keep the table's shape while it loads, so nothing jumps. */
export function TableSkeleton({ columns, rows = 5 }: TableSkeletonProps) {
  return (
    <Table.Tbody aria-busy="true">
      {Array.from({ length: rows }, (_, row) => (
        <Table.Tr key={row}>
          {Array.from({ length: columns }, (_, column) => (
            <Table.Td key={column}>
              <Skeleton height={14} width={column === 0 ? '70%' : '50%'} radius="sm" />
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </Table.Tbody>
  );
}
