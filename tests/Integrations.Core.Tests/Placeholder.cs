namespace Integrations.Core.Tests;
