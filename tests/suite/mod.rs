mod aide;
mod base;
mod commun;
mod demo;
mod organisation;
mod parcours;
mod sorties;
