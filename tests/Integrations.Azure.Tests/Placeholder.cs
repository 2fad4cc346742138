namespace Integrations.Azure.Tests;
