console.error("purpose-guard CLI: not built yet"); process.exit(2);
