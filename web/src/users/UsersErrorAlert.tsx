import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { ErrorAlert } from '../ui/feedback';

const KNOWN = ['user_email_taken', 'user_self_lockout', 'unprocessable'];

/** The users API's own refusals in plain words; anything else as every screen shows it. */
export function UsersErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation('users');
  if (error instanceof ApiError && KNOWN.includes(error.code)) return <ErrorAlert error={new ApiError(error.status, error.code, t(`errors.${error.code}`))} />;
  return <ErrorAlert error={error} />;
}
