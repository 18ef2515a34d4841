import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A password field whose show/hide button is named in the user's language, without the word
 * "password": the field itself is then the only thing a "Password" label finds.
 */
export function SecretInput(props: PasswordInputProps) {
  const { t } = useTranslation('auth');
  return <PasswordInput {...props} visibilityToggleButtonProps={{ 'aria-label': t('showTyped') }} />;
}
