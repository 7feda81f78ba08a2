"""Local, faithful simulators of the Fxiaoke Open API and the Kingdee K3Cloud Web API."""
