namespace Integrations.Testing;
