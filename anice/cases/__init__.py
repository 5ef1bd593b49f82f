"""Cases: counterfeit and online infringement cases, their items, workflow and search."""
