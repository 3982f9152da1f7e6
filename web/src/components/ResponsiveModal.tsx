import { Modal, type ModalProps } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';

/** Mantine's `sm` breakpoint; below it a dialog takes the whole screen. */
const PHONE_QUERY = '(max-width: 48em)';

/** A dialog that is a centred card on desktop and a full screen on phones, where a card is cramped. */
export function ResponsiveModal(props: ModalProps) {
  const isPhone = useMediaQuery(PHONE_QUERY) ?? false;
  return <Modal fullScreen={isPhone} transitionProps={isPhone ? { transition: 'fade', duration: 150 } : undefined} {...props} />;
}
