export const messages = {
  en: {
    title: 'Sign in to Ordo',
    email: 'E-mail',
    password: 'Password',
    submit: 'Sign in',
    invalid_credentials: 'This e-mail and password do not match an account.',
    too_many_attempts: 'Too many failed attempts. Wait a few minutes and try again.',
    account_disabled: 'This account is disabled. Ask an administrator.',
    trackLink: 'Track an order without an account',
  },
  fr: {
    title: 'Connexion à Ordo',
    email: 'E-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    invalid_credentials: 'Cet e-mail et ce mot de passe ne correspondent à aucun compte.',
    too_many_attempts: 'Trop de tentatives échouées. Patientez quelques minutes puis réessayez.',
    account_disabled: 'Ce compte est désactivé. Contactez un administrateur.',
    trackLink: 'Suivre une commande sans compte',
  },
};
